using System.Text;
using Confluent.Kafka;
using IotTelemetry.Anomaly;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Cloud.Tests;

/// <summary>
/// The state a SIGKILL leaves between journaling an alert event and its acknowledgement by the alerts topic: a
/// data directory whose journal holds events beyond its published mark, one of them on the topic (acknowledged
/// just before the kill) and one not (a data-gap clear the clock produced, tied to no offset that would replay it).
/// The detector started on it sends the missing one, and only that one, before it consumes anything.
/// </summary>
public sealed class DetectorJournalResendTests : IDisposable
{
    private readonly MockCluster _kafka = new();

    public DetectorJournalResendTests()
    {
        _kafka.CreateTopic("telemetry", 1);
        _kafka.CreateTopic("alerts", 1);
        _kafka.CreateTopic("telemetry.deadletter", 1);
    }

    public void Dispose() => _kafka.Dispose();

    private static AlertEvent Event(AlertEventKind kind, string sensor, string rule, long started, long at) =>
        new(kind, AlertIds.Condition("plant-j", "pump-1", sensor, rule) + "|" + started, "plant-j", "pump-1", sensor, rule, Severity.Warning,
            "test", 1, 2, 1, 1, started, at, kind == AlertEventKind.Cleared ? at : null);

    [Fact]
    public async Task Journal_events_a_crash_kept_off_the_alerts_topic_are_sent_once_at_start_and_the_others_not_again()
    {
        var t0 = UnixMicros.Now() - 600_000_000;
        var beforeMark = Event(AlertEventKind.Raised, "flow", RuleNames.Gap, t0, t0);
        var acknowledged = Event(AlertEventKind.Raised, "vibration", "limits", t0 + 1_000_000, t0 + 1_000_000);
        var lost = Event(AlertEventKind.Cleared, "flow", RuleNames.Gap, t0, t0 + 2_000_000);
        var byOperator = acknowledged with { Kind = AlertEventKind.Acknowledged, EventMicros = t0 + 3_000_000 };

        var dir = RepoPaths.NewTempDirectory("detector-resend");
        var journal = Path.Combine(dir, "alerts.jsonl");
        File.WriteAllText(journal, AlertJson.Serialize(beforeMark) + "\n");
        File.WriteAllText(journal + ".published", new FileInfo(journal).Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.AppendAllText(journal, AlertJson.Serialize(acknowledged) + "\n" + AlertJson.Serialize(lost) + "\n" + AlertJson.Serialize(byOperator) + "\n");
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers }).Build())
        {
            producer.Produce("alerts", new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(acknowledged.ConditionKey), Value = AlertJson.SerializeToUtf8(acknowledged) });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(20)));
        }

        await using var detector = Programs.Start(Programs.CloudDll, new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = dir,
            ["Cloud:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Kafka:Cloud:BootstrapServers"] = _kafka.BootstrapServers,
            ["Lake:Enabled"] = "false",
            ["Anomaly:Rules:2:Gap:Intervals"] = "100000", // no new gap events from the clock
        });
        await detector.WaitForLineAsync("were sent again", TimeSpan.FromSeconds(90));
        await detector.WaitForLineAsync("Anomaly detector consuming", TimeSpan.FromSeconds(60));
        await Wait.UntilAsync(() => File.Exists(journal + ".published")
                && File.ReadAllText(journal + ".published") == new FileInfo(journal).Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "the published mark moved to the journal's end", TimeSpan.FromSeconds(30));
        Assert.Contains(detector.Lines, l => l.Contains("1 of 2 journal events", StringComparison.Ordinal));

        using var alerts = new KafkaProbe(_kafka.BootstrapServers, "alerts", 1);
        await alerts.WaitForCountAsync(2);
        alerts.Poll(TimeSpan.FromSeconds(2)); // anything sent twice would be here by now
        var onTopic = alerts.Records.Select(r => AlertJson.Deserialize(Encoding.UTF8.GetString(r.Message.Value!).AsSpan())).ToList();
        Assert.Equal(2, onTopic.Count);
        Assert.Equal(acknowledged, onTopic[0]);
        Assert.Equal(lost, onTopic[1]);
        Assert.Equal(lost.ConditionKey, Encoding.UTF8.GetString(alerts.Records[1].Message.Key!));
    }
}
