using System.Globalization;
using IotTelemetry.Anomaly;
using IotTelemetry.Cloud.Detector;
using IotTelemetry.Cloud.Dashboard;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace IotTelemetry.Cloud.Tests;

/// <summary>
/// The dashboard in a real browser: the cloud host runs as a process on a mock Kafka cluster, readings go on
/// the telemetry topic, the detector raises a limit alert, and the page shows it without being reloaded.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string User = "engineer";
    private const string Password = "correct horse battery";
    private readonly MockCluster _kafka = new();
    private readonly string _dataDir = RepoPaths.NewTempDirectory("dashboard");

    public Task InitializeAsync()
    {
        _kafka.CreateTopic("telemetry", 4);
        _kafka.CreateTopic("alerts", 4);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _kafka.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Engineer_logs_in_sees_a_pipeline_alert_appear_live_acknowledges_it_and_sees_it_clear()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var cloud = Programs.Start(Programs.CloudDll, DashboardHost.Settings(url, _dataDir, _kafka.BootstrapServers,
            ("Dashboard:Users:0:Name", User), ("Dashboard:Users:0:PasswordHash", PasswordHash.Create(Password, 10_000))));
        await cloud.WaitForLineAsync("Dashboard at", TimeSpan.FromSeconds(60));
        using var plant = new ReadingProducer(_kafka.BootstrapServers);
        var t = UnixMicros.Now() - 60_000_000;
        Reading Vibration(double value) => new("plant-a", "pump-01", "vibration", t += 100_000, value, Quality.Good, "mm/s", "test", t);
        plant.Produce(Enumerable.Range(0, 50).Select(i => Vibration(2 + (i % 7) * 0.1)));

        await using var session = await BrowserSession.StartAsync();
        var page = await session.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });

        // Not logged in: sent to the login page; a wrong password is refused.
        await page.GotoAsync(url + "/");
        Assert.Contains("/login", page.Url);
        await page.FillAsync("#user", User);
        await page.FillAsync("#password", "wrong password");
        await page.ClickAsync("#signin");
        await page.Locator("#failed").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        Assert.Equal(401, (await page.APIRequest.GetAsync(url + "/api/alerts")).Status);

        await page.FillAsync("#user", User);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#signin");
        await page.WaitForURLAsync(url + "/");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("live", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#me")).ToHaveTextAsync(User);
        await page.EvaluateAsync("window.__noReload = 'still the same page'");

        // The pipeline raises a limit alert: it appears without a reload.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        plant.Produce(Enumerable.Range(0, 5).Select(_ => Vibration(9.4)));
        clock.Restart();
        var row = page.Locator("#open-alerts tbody tr", new() { HasText = "vibration" });
        await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        output.WriteLine($"alert on the page {clock.ElapsedMilliseconds} ms after the readings were acknowledged by Kafka (no reload)");
        await Assertions.Expect(row).ToContainTextAsync("pump-01");
        await Assertions.Expect(row).ToContainTextAsync("limits");
        await Assertions.Expect(row).ToContainTextAsync("Critical");
        Assert.Equal("still the same page", await page.EvaluateAsync<string>("window.__noReload"));
        await Screenshot(page, "dashboard-alert-raised.png");

        // Acknowledge with a comment: shown with who did it, and recorded in the journal.
        await row.Locator("button.ack").ClickAsync();
        await page.FillAsync("#ack-comment", "Bearing noise confirmed, maintenance called");
        await Screenshot(page, "dashboard-acknowledge-dialog.png");
        await page.ClickAsync("#ack-submit");
        await Assertions.Expect(row).ToContainTextAsync($"{User}: Bearing noise confirmed, maintenance called");
        var journal = Path.Combine(_dataDir, "alerts.jsonl");
        var ack = AlertJournal.ReadAll(journal).Single(e => e.Kind == AlertEventKind.Acknowledged);
        Assert.Equal("pump-01", ack.Asset);
        Assert.Equal($"acknowledged by {User}: Bearing noise confirmed, maintenance called", ack.Message);
        using (var alerts = new KafkaProbe(_kafka.BootstrapServers, "alerts", 4))
            await Wait.UntilAsync(() =>
            {
                alerts.Poll();
                return alerts.Records.Any(r => AlertJson.Deserialize(r.Message.Value.AsSpan()) is { Kind: AlertEventKind.Acknowledged } e && e.AlertId == ack.AlertId);
            }, "the acknowledgement on the alerts topic");

        // Back to normal: the alert clears, leaves the open list and shows in the history with its acknowledgement.
        plant.Produce(Enumerable.Range(0, 20).Select(i => Vibration(2 + (i % 5) * 0.1)));
        var cleared = page.Locator("#history tbody tr", new() { HasText = "vibration" });
        await cleared.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await Assertions.Expect(cleared).ToContainTextAsync(User);
        await Assertions.Expect(page.Locator("#open-alerts tbody tr")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#no-open")).ToBeVisibleAsync();
        Assert.Equal("still the same page", await page.EvaluateAsync<string>("window.__noReload"));
        // The chart of the asset and the health tiles are filled in.
        await Assertions.Expect(page.Locator("#charts .chart[data-sensor=vibration]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#h-lag")).ToContainTextAsync("detector", new() { Timeout = 30_000 });
        await Screenshot(page, "dashboard-alert-cleared.png");
        Assert.Contains(AlertJournal.ReadAll(journal), e => e.Kind == AlertEventKind.Cleared && e.AlertId == ack.AlertId);
        Assert.False(cloud.HasExited, cloud.Output);
    }

    private async Task Screenshot(IPage page, string name)
    {
        var path = Path.Combine(BrowserSession.ArtifactsDirectory, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine("screenshot: " + path);
    }
}
