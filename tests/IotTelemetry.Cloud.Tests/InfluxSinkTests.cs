using System.Globalization;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;
using Xunit.Abstractions;

namespace IotTelemetry.Cloud.Tests;

/// <summary>
/// The cloud host's InfluxDB sink (InfluxDB.Client, v2 write API) against a real server of that API, Debian's
/// VictoriaMetrics, read back through its /api/v1/export (measurement_field is the metric, tags are labels, ms timestamps).
/// The tests share one mock cluster, each with its own topics and consumer group; each has its own server.
/// </summary>
public sealed class InfluxSinkTests(ITestOutputHelper output, MockClusterFixture kafka) : IAsyncLifetime, IClassFixture<MockClusterFixture>
{
    private const string Token = "influx-token-never-logged-7f3a";
    private const string Readings = "{__name__=\"readings_value\"}";
    private readonly string _dataDir = RepoPaths.NewTempDirectory("influx-sink");
    private readonly long _start = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000) * 1000;
    private readonly string _telemetry = kafka.NewTopic("telemetry", 4);
    private readonly string _alerts = kafka.NewTopic("alerts", 1);
    private readonly string _group = kafka.Unique("iott-influx");
    private VictoriaMetricsServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await VictoriaMetricsServer.StartNewAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Every_reading_is_stored_exactly_once_with_its_value_tags_and_millisecond_timestamp()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var cloud = StartCloud(url);
        // VictoriaMetrics stores a block of a series' values as decimals with one exponent (about 12 significant digits
        // against the block's largest value): values are compared to 12 digits, and 1e-300 beside 1e20 would not survive.
        var values = new[] { 0.1, -273.15, 0.5, 1234.5678, 98.6, 0, -0.001, 3.25 };
        var readings = new List<Reading>();
        for (var i = 0; i < 2000; i++)
        {
            var asset = i % 3 == 0 ? "pump 7,a=b" : "pump-" + (i % 3);
            readings.Add(new Reading("plant-a", asset, i % 2 == 0 ? "temperature" : "vibration", _start + i * 1000 + 7, values[i % values.Length] + i,
                (Quality)(i % 3), i % 5 == 0 ? "" : "mm/s", "test", _start));
        }
        readings.Add(readings[0] with { Sensor = "nan", Value = double.NaN, TimestampMicros = _start - 5000 });
        using (var producer = new ReadingProducer(kafka.BootstrapServers, _telemetry)) producer.Produce(readings);

        await new HostMetrics(url).WaitForAsync("iott_cloud_influx_points_total", 2000, TimeSpan.FromSeconds(90));
        await Wait.UntilAsync(async () => await _server.CountAsync(Readings) >= 2000, "2000 samples in VictoriaMetrics", TimeSpan.FromSeconds(60));
        var stored = (await _server.ExportAsync(Readings))
            .SelectMany(s => s.Samples.Select(p => (p.TimestampMs, Digits12(p.Value), s.Labels["site"], s.Labels["asset"], s.Labels["sensor"], s.Labels["quality"],
                s.Labels.GetValueOrDefault("unit", ""))))
            .OrderBy(x => x).ToList();
        var expected = readings.Where(r => double.IsFinite(r.Value)).Select(r => (r.TimestampMicros / 1000, Digits12(r.Value), r.Site, r.Asset,
            r.Sensor, r.Quality.ToString().ToLowerInvariant(), r.Unit)).OrderBy(x => x).ToList();
        Assert.Equal(expected, stored);
        await new HostMetrics(url).WaitForAsync("iott_cloud_influx_skipped_total", 1);
    }

    [Fact]
    public async Task The_server_stopped_mid_stream_and_started_again_loses_nothing_and_doubles_nothing()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var cloud = StartCloud(url);
        var metrics = new HostMetrics(url);
        var all = Enumerable.Range(0, 30_000)
            .Select(i => new Reading("plant-b", "press-" + (i % 10), "force", _start + i * 1000L, i * 0.5, Quality.Good, "kN", "test", _start)).ToList();
        using var producer = new ReadingProducer(kafka.BootstrapServers, _telemetry);

        producer.Produce(all.Take(10_000));
        await Wait.UntilAsync(async () => await _server.CountAsync(Readings) > 0, "first samples in VictoriaMetrics", TimeSpan.FromSeconds(60));
        await _server.StopAsync();
        producer.Produce(all.Skip(10_000).Take(10_000));
        await metrics.WaitForAsync("iott_cloud_influx_write_failures_total", 2, TimeSpan.FromSeconds(60));
        await _server.StartAsync();
        producer.Produce(all.Skip(20_000));

        await Wait.UntilAsync(async () => await _server.CountAsync(Readings) >= all.Count,
            $"{all.Count} samples in VictoriaMetrics after the restart", TimeSpan.FromSeconds(120));
        var stored = (await _server.ExportAsync(Readings))
            .SelectMany(s => s.Samples.Select(p => (p.TimestampMs, p.Value, s.Labels["asset"]))).OrderBy(x => x).ToList();
        Assert.Equal(all.Select(r => (r.TimestampMicros / 1000, r.Value, r.Asset)).OrderBy(x => x), stored);
        Assert.True(await metrics.GetAsync("iott_cloud_influx_points_total") >= all.Count);
        Assert.False(cloud.HasExited, cloud.Output);
    }

    [Fact]
    public async Task A_refused_token_is_retried_and_never_logged()
    {
        await using var guarded = await VictoriaMetricsServer.StartNewAsync("-httpAuth.username=plant", "-httpAuth.password=other-secret");
        var tokenFile = Path.Combine(_dataDir, "influx.token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var cloud = StartCloud(url, ("Influx:Url", guarded.Url), ("Influx:TokenFile", tokenFile), ("Logging:LogLevel:Default", "Debug"));
        using (var producer = new ReadingProducer(kafka.BootstrapServers, _telemetry))
            producer.Produce([new Reading("plant-d", "fan-1", "speed", _start, 12.5, Quality.Good, "rpm", "test", _start)]);

        var metrics = new HostMetrics(url);
        await metrics.WaitForAsync("iott_cloud_influx_write_failures_total", 3, TimeSpan.FromSeconds(60));
        await cloud.WaitForLineAsync("answered 401");
        Assert.Equal(0, await metrics.GetAsync("iott_cloud_influx_rejected_total"));
        Assert.Equal(0, await metrics.GetAsync("iott_cloud_influx_points_total"));
        Assert.DoesNotContain(Token, cloud.Output);
        Assert.DoesNotContain(Token, await new HttpClient().GetStringAsync(url + "/metrics"));
    }

    [Fact]
    public async Task Over_tls_the_server_is_trusted_through_Influx_CaFile_and_refused_without_it()
    {
        var certificates = await TestCertificates.CreateAsync(Path.Combine(_dataDir, "pki"));
        await using var tls = await VictoriaMetricsServer.StartNewAsync(certificates);
        var readings = Enumerable.Range(0, 500)
            .Select(i => new Reading("plant-e", "kiln-1", "temperature", _start + i * 1000L, 900 + i * 0.5, Quality.Good, "C", "test", _start)).ToList();
        using (var producer = new ReadingProducer(kafka.BootstrapServers, _telemetry)) producer.Produce(readings);

        // Without the CA the certificate is not trusted: every write fails, nothing is stored or skipped.
        var untrustingUrl = $"http://127.0.0.1:{FreePort.Next()}";
        await using (var untrusting = StartCloud(untrustingUrl, ("Influx:Url", tls.Url), ("Influx:GroupId", "iott-influx-untrusting")))
        {
            await new HostMetrics(untrustingUrl).WaitForAsync("iott_cloud_influx_write_failures_total", 2, TimeSpan.FromSeconds(60));
            Assert.Equal(0, await new HostMetrics(untrustingUrl).GetAsync("iott_cloud_influx_points_total"));
        }
        Assert.Equal(0, await tls.CountAsync(Readings));

        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var cloud = StartCloud(url, ("Influx:Url", tls.Url), ("Influx:CaFile", certificates.CaCertificate));
        await Wait.UntilAsync(async () => await tls.CountAsync(Readings) >= readings.Count, "500 samples over TLS", TimeSpan.FromSeconds(60));
        var stored = (await tls.ExportAsync(Readings)).SelectMany(s => s.Samples).OrderBy(p => p.TimestampMs).ToList();
        Assert.Equal(readings.Select(r => (r.TimestampMicros / 1000, r.Value)), stored.Select(p => (p.TimestampMs, p.Value)));
    }

    [Fact]
    public async Task A_burst_of_100k_readings_is_written_completely_and_its_rate_reported()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var cloud = StartCloud(url, ("Influx:BatchSize", "5000"));
        var metrics = new HostMetrics(url);
        await cloud.WaitForLineAsync("InfluxDB sink consuming", TimeSpan.FromSeconds(60));
        var readings = Enumerable.Range(0, 100_000)
            .Select(i => new Reading("plant-c", "line-" + (i % 20), "sensor-" + (i % 7), _start + i * 1000L, i * 0.25, Quality.Good, "bar", "test", _start)).ToList();
        using (var producer = new ReadingProducer(kafka.BootstrapServers, _telemetry)) producer.Produce(readings);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await metrics.WaitForAsync("iott_cloud_influx_points_total", readings.Count, TimeSpan.FromSeconds(120));
        var seconds = clock.Elapsed.TotalSeconds;
        await Wait.UntilAsync(async () => await _server.CountAsync(Readings) >= readings.Count, "100k samples in VictoriaMetrics", TimeSpan.FromSeconds(60));
        Assert.Equal(readings.Count, await _server.CountAsync(Readings));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"InfluxDB sink: {readings.Count} readings already on Kafka written in {seconds:0.0} s = {readings.Count / seconds:0} points/s (batches of 5000)"));
    }

    private static double Digits12(double v) => double.Parse(v.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private ExternalProcess StartCloud(string url, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = _dataDir,
            ["Cloud:Urls"] = url,
            ["Kafka:Cloud:BootstrapServers"] = kafka.BootstrapServers,
            ["Topics:Telemetry"] = _telemetry,
            ["Topics:Alerts"] = _alerts,
            ["Influx:GroupId"] = _group,
            ["Detector:Enabled"] = "false",
            ["Lake:Enabled"] = "false",
            ["Rollups:Enabled"] = "false",
            ["Influx:Enabled"] = "true",
            ["Influx:Url"] = _server.Url,
            ["Influx:Org"] = "plant ops",
            ["Influx:Bucket"] = "recent",
            ["Influx:Token"] = Token,
            ["Influx:BatchSize"] = "2000",
            ["Influx:FlushInterval"] = "00:00:00.200",
            ["Influx:MaxBackoff"] = "00:00:01",
            ["Influx:RequestTimeout"] = "00:00:03",
        };
        foreach (var (k, v) in extra)
        {
            settings[k] = v;
            if (k == "Influx:TokenFile") settings.Remove("Influx:Token");
        }
        return Programs.Start(Programs.CloudDll, settings);
    }
}
