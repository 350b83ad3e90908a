using System.Security.Cryptography;
using System.Text;
using IotTelemetry.Anomaly;
using IotTelemetry.Cloud.Detector;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Cloud.Tests;

/// <summary>Alert webhooks from the cloud host (a process) to a local HTTP endpoint that fails at first.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private readonly MockCluster _kafka = new();
    private readonly string _dataDir = RepoPaths.NewTempDirectory("webhook");

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
    public async Task Raise_and_clear_are_posted_in_order_after_failures_without_holding_up_detection()
    {
        using var receiver = new WebhookReceiver();
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        const string secret = "hook-signing-key";
        await using var cloud = Programs.Start(Programs.CloudDll, DashboardHost.Settings(url, _dataDir, _kafka.BootstrapServers,
            ("Dashboard:Enabled", "false"),
            ("Notifications:Webhooks:0:Name", "tickets"),
            ("Notifications:Webhooks:0:Url", receiver.Url),
            ("Notifications:Webhooks:0:StartAt", "Earliest"),
            ("Notifications:Webhooks:0:Secret", secret),
            ("Notifications:MaxBackoff", "00:00:00.500")));
        var metrics = new HostMetrics(url);
        using var plant = new ReadingProducer(_kafka.BootstrapServers);
        var t = UnixMicros.Now() - 60_000_000;
        Reading Vibration(double value) => new("plant-w", "fan-3", "vibration", t += 100_000, value, Quality.Good, "mm/s", "test", t);

        // The target is down while the alert is raised and cleared: detection goes on regardless.
        plant.Produce([.. Enumerable.Range(0, 20).Select(_ => Vibration(3)), .. Enumerable.Range(0, 5).Select(_ => Vibration(12.5)),
            .. Enumerable.Range(0, 5).Select(_ => Vibration(3))]);
        var journal = Path.Combine(_dataDir, "alerts.jsonl");
        await Wait.UntilAsync(() => AlertJournal.ReadAll(journal).Any(e => e.Kind == AlertEventKind.Cleared), "the alert cleared in the journal", TimeSpan.FromSeconds(60));
        await metrics.WaitForAsync("iott_cloud_webhook_failures_total", 3, TimeSpan.FromSeconds(60));
        Assert.Equal(0, await metrics.GetAsync("iott_cloud_webhook_delivered_total"));

        // The target comes back: both events arrive, raise first, each once accepted.
        receiver.Accepting = true;
        await metrics.WaitForAsync("iott_cloud_webhook_delivered_total", 2, TimeSpan.FromSeconds(30));
        var accepted = receiver.Requests.Where(r => r.Status == 204).ToList();
        Assert.Equal(["raised", "cleared"], accepted.Select(r => r.Event));
        var raised = AlertJson.Deserialize(accepted[0].Body.AsSpan());
        var cleared = AlertJson.Deserialize(accepted[1].Body.AsSpan());
        Assert.Equal((AlertEventKind.Raised, "fan-3", "vibration", "limits", 12.5), (raised.Kind, raised.Asset, raised.Sensor, raised.Rule, raised.Value));
        Assert.Equal(AlertEventKind.Cleared, cleared.Kind);
        Assert.Equal(raised.AlertId, cleared.AlertId);
        var failedFirst = receiver.Requests.TakeWhile(r => r.Status == 503).ToList();
        Assert.True(failedFirst.Count >= 3, $"expected at least 3 failed attempts first, got {failedFirst.Count}");
        Assert.All(failedFirst, r => Assert.Equal("raised", r.Event));
        foreach (var r in accepted)
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(r.Body))), r.Signature);
        Assert.DoesNotContain(secret, cloud.Output);

        // The cloud host's whole /metrics, counters of the detector and the webhook target among them, as Prometheus' own parser and linter read it.
        using var http = new HttpClient();
        var exposition = await http.GetStringAsync(url + "/metrics");
        var (code, output) = await Promtool.CheckMetricsAsync(exposition);
        Assert.True(code == 0, $"promtool check metrics exited {code}: {output}\n--- exposition:\n{exposition}");
    }
}
