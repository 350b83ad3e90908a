using System.Text;
using Confluent.Kafka;
using IotTelemetry.Anomaly;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Cloud.Tests;

/// <summary>
/// The detector killed while an alert is open, and its work taken over by another instance with an empty data
/// directory (as after a consumer-group rebalance to another machine): the open alert is continued, not raised
/// again, and cleared when the sensor recovers.
/// </summary>
public sealed class DetectorFailoverTests : IDisposable
{
    private readonly MockCluster _kafka = new();

    public DetectorFailoverTests()
    {
        _kafka.CreateTopic("telemetry", 4);
        _kafka.CreateTopic("alerts", 4);
        _kafka.CreateTopic("telemetry.deadletter", 1);
    }

    public void Dispose() => _kafka.Dispose();

    private ExternalProcess StartDetector(string dataDir) => Programs.Start(Programs.CloudDll, new Dictionary<string, string>
    {
        ["Cloud:DataDir"] = dataDir,
        ["Cloud:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
        ["Kafka:Cloud:BootstrapServers"] = _kafka.BootstrapServers,
        ["Kafka:Cloud:Properties:session.timeout.ms"] = "4000",
        ["Lake:Enabled"] = "false",
        ["Rollups:Enabled"] = "false",
        ["Anomaly:Rules:2:Gap:Intervals"] = "100000", // the readings are ten minutes old: no data-gap alerts
    });

    [Fact]
    public async Task An_alert_open_when_the_detector_dies_is_continued_by_its_successor_and_cleared_once()
    {
        using var producer = new ReadingProducer(_kafka.BootstrapServers);
        var t0 = UnixMicros.Now() - 600_000_000;
        var n = 0;
        void Send(double value, int count)
        {
            for (var i = 0; i < count; i++, n++)
                producer.Send(new Reading("plant-f", "pump-09", "vibration", t0 + n * 1_000_000L, value, Quality.Good, "mm/s", "test", t0));
            producer.Flush(TimeSpan.FromSeconds(20));
        }
        List<AlertEvent> Journal(string dir)
        {
            var path = Path.Combine(dir, "alerts.jsonl");
            if (!File.Exists(path)) return [];
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return AlertJson.ReadLines(new StreamReader(stream)).Where(e => e.Rule == "limits").ToList();
        }

        var first = RepoPaths.NewTempDirectory("detector-a");
        await using (var a = StartDetector(first))
        {
            Send(2.5, 60);
            Send(9.5, 5); // above the 7.1 mm/s limit: raised
            await Wait.UntilAsync(() => Journal(first).Any(e => e.Kind == AlertEventKind.Raised), "the limit alert raised by the first detector", TimeSpan.FromSeconds(60));
            using var alerts = new KafkaProbe(_kafka.BootstrapServers, "alerts", 4);
            await alerts.WaitForCountAsync(1); // published, as every open alert is before the offsets that raised it are committed
            a.Kill(); // SIGKILL with the alert open
        }
        var raised = Journal(first).Single(e => e.Kind == AlertEventKind.Raised);

        var second = RepoPaths.NewTempDirectory("detector-b"); // another machine: no journal
        await using var b = StartDetector(second);
        Send(9.8, 20);  // still abnormal: must not raise again
        Send(2.5, 10);  // recovered: must clear the alert the first detector raised
        try
        {
            await Wait.UntilAsync(() => Journal(second).Any(e => e.Kind == AlertEventKind.Cleared), "the alert cleared by the second detector", TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "; journal: " + string.Join(" | ", Journal(second).Select(e => $"{e.Kind} {e.Value}")) +
                "; output:\n" + string.Join("\n", b.Lines.TakeLast(30)), ex);
        }

        var events = Journal(second);
        Assert.True(!events.Any(e => e.Kind == AlertEventKind.Raised),
            "raised again: " + string.Join(" | ", events.Select(e => $"{e.Kind} {e.AlertId} {e.Value}")) + " / first: " + raised.AlertId);
        var cleared = Assert.Single(events, e => e.Kind == AlertEventKind.Cleared);
        Assert.Equal(raised.AlertId, cleared.AlertId);
        Assert.True(cleared.Peak >= 9.8, $"peak {cleared.Peak} should include the readings after the takeover");
    }
}
