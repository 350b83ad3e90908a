using System.Globalization;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;
using Xunit.Abstractions;

namespace IotTelemetry.Cloud.Tests;

/// <summary>The cloud host's InfluxDB sink against a real InfluxDB 1.6, read back with InfluxQL.</summary>
public sealed class InfluxSinkTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Database = "plant";
    private readonly MockCluster _kafka = new();
    private readonly string _dataDir = RepoPaths.NewTempDirectory("influx-sink");
    private InfluxServer _influx = null!;

    public async Task InitializeAsync()
    {
        _kafka.CreateTopic("telemetry", 4);
        _kafka.CreateTopic("alerts", 1);
        _influx = await InfluxServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        _kafka.Dispose();
    }

    [Fact]
    public async Task Readings_arrive_in_influxdb_with_exact_values_timestamps_and_tags()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var cloud = StartCloud(url);
        var start = 1_763_000_000_123_456L;
        var values = new[] { 0.1, -273.15, 1e-300, 123456.789012345, 1e20, 0, -0.000001, Math.PI };
        var readings = new List<Reading>();
        for (var i = 0; i < 2000; i++)
        {
            var asset = i % 3 == 0 ? "pump 7,a=b" : "pump-" + (i % 3);
            readings.Add(new Reading("plant-a", asset, i % 2 == 0 ? "temperature" : "vibration", start + i * 997, values[i % values.Length] + i,
                (Quality)(i % 3), i % 5 == 0 ? "" : "mm/s", "test", start));
        }
        readings.Add(readings[0] with { Sensor = "nan", Value = double.NaN });
        using (var producer = new TelemetryProducer(_kafka.BootstrapServers)) producer.Produce(readings);

        await Wait.UntilAsync(async () => await _influx.CountAsync(Database, "readings") >= 2000, "2000 points in InfluxDB", TimeSpan.FromSeconds(60));
        var rows = await _influx.QueryAsync(Database, "SELECT value, site, asset, sensor, quality, unit FROM readings");
        var stored = rows.Select(r => (r[0].GetInt64(), r[1].GetDouble(), r[2].GetString(), r[3].GetString(), r[4].GetString(), r[5].GetString(),
            r[6].ValueKind == System.Text.Json.JsonValueKind.Null ? "" : r[6].GetString())).OrderBy(x => x).ToList();
        var expected = readings.Where(r => double.IsFinite(r.Value)).Select(r => (r.TimestampMicros, r.Value, (string?)r.Site, (string?)r.Asset,
            (string?)r.Sensor, (string?)r.Quality.ToString().ToLowerInvariant(), (string?)r.Unit)).OrderBy(x => x).ToList();
        Assert.Equal(expected, stored);
        await new HostMetrics(url).WaitForAsync("iott_cloud_influx_skipped_total", 1);

        // The dashboard's chart of an asset reads its recent values back from InfluxDB.
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false })
            { BaseAddress = new Uri(url) };
        using (var login = await http.PostAsync("/login", new FormUrlEncodedContent([new("user", "viewer"), new("password", "chart-pass")])))
            Assert.Equal("/", login.Headers.Location?.OriginalString);
        using var chart = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/assets/plant-a/pump-1"));
        Assert.Equal("influxdb", chart.RootElement.GetProperty("source").GetString());
        var temperature = chart.RootElement.GetProperty("sensors").EnumerateArray().Single(s => s.GetProperty("sensor").GetString() == "temperature");
        var expectedTemperature = readings.Where(r => r.Asset == "pump-1" && r.Sensor == "temperature").OrderBy(r => r.TimestampMicros).ToList();
        var points = temperature.GetProperty("points").EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList();
        Assert.Equal(expectedTemperature.Select(r => (r.TimestampMicros / 1000.0, r.Value)), points);
    }

    [Fact]
    public async Task Influxdb_killed_mid_stream_and_restarted_loses_nothing_and_doubles_nothing()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var cloud = StartCloud(url);
        var metrics = new HostMetrics(url);
        var start = 1_763_100_000_000_000L;
        var all = Enumerable.Range(0, 30_000)
            .Select(i => new Reading("plant-b", "press-" + (i % 10), "force", start + i * 1000L, i * 0.5, Quality.Good, "kN", "test", start)).ToList();
        using var producer = new TelemetryProducer(_kafka.BootstrapServers);

        producer.Produce(all.Take(10_000));
        await Wait.UntilAsync(async () => await _influx.CountAsync(Database, "readings") > 0, "first points in InfluxDB", TimeSpan.FromSeconds(60));
        await _influx.KillAsync();
        producer.Produce(all.Skip(10_000).Take(10_000));
        await metrics.WaitForAsync("iott_cloud_influx_write_failures_total", 2, TimeSpan.FromSeconds(60));
        await _influx.RestartAsync();
        producer.Produce(all.Skip(20_000));

        await Wait.UntilAsync(async () => await _influx.CountAsync(Database, "readings") >= all.Count,
            $"{all.Count} points in InfluxDB after the restart", TimeSpan.FromSeconds(90));
        var rows = await _influx.QueryAsync(Database, "SELECT value, asset FROM readings");
        Assert.Equal(all.Count, rows.Count);
        var stored = rows.Select(r => (r[0].GetInt64(), r[1].GetDouble(), r[2].GetString())).OrderBy(x => x).ToList();
        Assert.Equal(all.Select(r => (r.TimestampMicros, r.Value, (string?)r.Asset)).OrderBy(x => x), stored);
        // Every reading was accepted at least once; some batches twice (written, then the outage hit before the commit) overwrite themselves.
        Assert.True(await metrics.GetAsync("iott_cloud_influx_points_total") >= all.Count);
        Assert.False(cloud.HasExited, cloud.Output);
    }

    [Fact]
    public async Task A_burst_of_100k_readings_is_written_completely_and_its_rate_reported()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var cloud = StartCloud(url, ("Influx:BatchSize", "5000"));
        var metrics = new HostMetrics(url);
        await cloud.WaitForLineAsync("InfluxDB sink consuming", TimeSpan.FromSeconds(60));
        var start = 1_763_200_000_000_000L;
        var readings = Enumerable.Range(0, 100_000)
            .Select(i => new Reading("plant-c", "line-" + (i % 20), "sensor-" + (i % 7), start + i * 100L, i * 0.25, Quality.Good, "bar", "test", start)).ToList();
        using (var producer = new TelemetryProducer(_kafka.BootstrapServers)) producer.Produce(readings);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await metrics.WaitForAsync("iott_cloud_influx_points_total", readings.Count, TimeSpan.FromSeconds(120));
        var seconds = clock.Elapsed.TotalSeconds;
        Assert.Equal(readings.Count, await _influx.CountAsync(Database, "readings"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"InfluxDB sink: {readings.Count} readings already on Kafka written in {seconds:0.0} s = {readings.Count / seconds:0} points/s (batches of 5000)"));
    }

    private ExternalProcess StartCloud(string url, params (string Key, string Value)[] extra) => Programs.Start(Programs.CloudDll, Settings(url, extra));

    private Dictionary<string, string> Settings(string url, (string Key, string Value)[] extra)
    {
        var settings = Base(url);
        foreach (var (k, v) in extra) settings[k] = v;
        return settings;
    }

    private Dictionary<string, string> Base(string url) => new()
    {
        ["Cloud:DataDir"] = _dataDir,
        ["Cloud:Urls"] = url,
        ["Kafka:Cloud:BootstrapServers"] = _kafka.BootstrapServers,
        ["Detector:Enabled"] = "false",
        ["Lake:Enabled"] = "false",
        ["Influx:Enabled"] = "true",
        ["Influx:Url"] = _influx.Url,
        ["Influx:Database"] = Database,
        ["Influx:BatchSize"] = "2000",
        ["Influx:FlushInterval"] = "00:00:00.200",
        ["Influx:MaxBackoff"] = "00:00:01",
        ["Influx:RequestTimeout"] = "00:00:03",
        ["Dashboard:Enabled"] = "true",
        ["Dashboard:Users:0:Name"] = "viewer",
        ["Dashboard:Users:0:PasswordHash"] = Dashboard.PasswordHash.Create("chart-pass", 5000),
    };
}
