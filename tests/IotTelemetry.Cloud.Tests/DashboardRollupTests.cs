using System.Globalization;
using System.Text.Json;
using IotTelemetry.Cloud.Dashboard;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace IotTelemetry.Cloud.Tests;

/// <summary>
/// Long ranges on the asset charts come from the rollups: two days of readings go through the host (raw sink and
/// rollup writer on), the API answers a 2-day range from the 1-minute tier and a 7-day range from the 1-hour tier,
/// each point equal to what DuckDB computes over the raw lake for that interval, and the page draws them.
/// </summary>
public sealed class DashboardRollupTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string User = "engineer";
    private const string Password = "correct horse battery";
    private readonly MockCluster _kafka = new();
    private readonly string _dataDir = RepoPaths.NewTempDirectory("dashboard-rollups");

    public Task InitializeAsync()
    {
        _kafka.CreateTopic("telemetry", 4);
        _kafka.CreateTopic("alerts", 4);
        _kafka.CreateTopic("telemetry.deadletter", 1);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _kafka.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_long_range_chart_reads_the_rollup_tier_its_length_calls_for_and_matches_DuckDB_over_the_raw_lake()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var cloud = Programs.Start(Programs.CloudDll, DashboardHost.Settings(url, _dataDir, _kafka.BootstrapServers,
            ("Dashboard:Users:0:Name", User), ("Dashboard:Users:0:PasswordHash", PasswordHash.Create(Password, 10_000)),
            ("Lake:Enabled", "true"), ("Lake:IdleFlush", "00:00:01"), ("Rollups:Enabled", "true"), ("Rollups:IdleFlush", "00:00:01")));
        await cloud.WaitForLineAsync("Dashboard at", TimeSpan.FromSeconds(60));

        // 47 hours of two sensors, one reading a minute and a half, some of bad quality.
        var now = UnixMicros.Now();
        var readings = new List<Reading>();
        for (var i = 0; i < 47 * 40; i++)
        {
            var t = now - 47 * 3_600_000_000L + i * 90_000_000L;
            readings.Add(new Reading("plant-a", "pump-01", "vibration", t, 2 + Math.Sin(i / 30.0) + (i % 7) * 0.01, i % 11 == 0 ? Quality.Bad : Quality.Good, "mm/s", "test", t));
            readings.Add(new Reading("plant-a", "pump-01", "temperature", t, 60 + (i % 13) * 0.5, Quality.Good, "°C", "test", t));
        }
        using (var plant = new ReadingProducer(_kafka.BootstrapServers)) plant.Produce(readings);
        var metrics = new HostMetrics(url);
        await metrics.WaitForAsync("iott_cloud_rollup_readings_total", readings.Count, TimeSpan.FromSeconds(60));
        await metrics.WaitForAsync("iott_cloud_lake_rows_total", readings.Count, TimeSpan.FromSeconds(60));

        await using var session = await BrowserSession.StartAsync();
        var page = await session.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        await page.GotoAsync(url + "/login");
        await page.FillAsync("#user", User);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#signin");
        await page.WaitForURLAsync(url + "/");

        // Through the HTTP API: 2 days from the 1-minute tier in 4-minute intervals (720 points at most), 7 days from the 1-hour tier.
        var twoDays = await GetAsync(page, url + "/api/assets/plant-a/pump-01?range=2d");
        Assert.Equal("rollup-1m", twoDays.GetProperty("source").GetString());
        Assert.Equal(240, twoDays.GetProperty("intervalSeconds").GetInt64());
        await AssertPointsMatchDuckDb(twoDays, "4 minutes");
        var week = await GetAsync(page, url + "/api/assets/plant-a/pump-01?range=7d");
        Assert.Equal("rollup-1h", week.GetProperty("source").GetString());
        Assert.Equal(3600, week.GetProperty("intervalSeconds").GetInt64());
        await AssertPointsMatchDuckDb(week, "1 hour");
        Assert.Equal(400, (await page.APIRequest.GetAsync(url + "/api/assets/plant-a/pump-01?range=soon")).Status);

        // In the page: choosing a range redraws the charts from the rollups. (The asset list is of sensors seen since the
        // host started, from the latest offsets: fresh readings put the asset in it.)
        var button = page.Locator("#assets button", new() { HasText = "pump-01" });
        using (var plant = new ReadingProducer(_kafka.BootstrapServers))
            await Wait.UntilAsync(async () =>
            {
                plant.Produce([new Reading("plant-a", "pump-01", "temperature", UnixMicros.Now(), 61, Quality.Good, "°C", "test", UnixMicros.Now())]);
                return await button.CountAsync() > 0;
            }, "pump-01 in the page's asset list", TimeSpan.FromSeconds(60));
        await button.ClickAsync();
        await page.SelectOptionAsync("#range", "7d");
        await Assertions.Expect(page.Locator("#asset-title")).ToContainTextAsync("from rollup-1h, 1 h intervals", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#charts .chart[data-sensor=temperature] canvas")).ToBeVisibleAsync();
        var shot = Path.Combine(BrowserSession.ArtifactsDirectory, "dashboard-rollups-7d.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        output.WriteLine("screenshot: " + shot);
        Assert.False(cloud.HasExited, cloud.Output);
    }

    private static async Task<JsonElement> GetAsync(IPage page, string url)
    {
        var response = await page.APIRequest.GetAsync(url);
        Assert.True(response.Ok, $"{url}: {response.Status} {await response.TextAsync()}");
        return (await response.JsonAsync())!.Value;
    }

    /// <summary>Every point [ms, mean, min, max, count] of every sensor equals DuckDB's aggregate of the raw lake over its interval.</summary>
    private async Task AssertPointsMatchDuckDb(JsonElement series, string interval)
    {
        var glob = DuckDb.Literal(Path.Combine(_dataDir, "lake", "**", "*.parquet"));
        var truth = (await DuckDb.QueryAsync(
                $"SELECT sensor, epoch_ms(time_bucket(INTERVAL '{interval}', time, TIMESTAMPTZ '1970-01-01 00:00:00+00')) AS t, count(*) AS n, "
                + $"avg(value) AS mean, min(value) AS lo, max(value) AS hi FROM read_parquet({glob}, hive_partitioning = true) GROUP BY ALL"))
            .ToDictionary(r => $"{r["sensor"].GetString()}@{r["t"]}");
        var points = 0;
        foreach (var sensor in series.GetProperty("sensors").EnumerateArray())
            foreach (var p in sensor.GetProperty("points").EnumerateArray())
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"{sensor.GetProperty("sensor").GetString()}@{p[0].GetDouble():0}");
                Assert.True(truth.TryGetValue(key, out var t), $"{key} not among DuckDB's intervals");
                Assert.Equal(t["n"].GetInt64(), p[4].GetInt64());
                Assert.Equal((t["lo"].GetDouble(), t["hi"].GetDouble()), (p[2].GetDouble(), p[3].GetDouble()));
                Assert.True(Math.Abs(t["mean"].GetDouble() - p[1].GetDouble()) <= 1e-9 * Math.Abs(t["mean"].GetDouble()), $"{key}: mean {p[1]} vs DuckDB {t["mean"]}");
                points++;
            }
        Assert.Equal(truth.Count, points);
    }
}
