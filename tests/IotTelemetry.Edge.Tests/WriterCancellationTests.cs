using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Metrics;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Validation;
using IotTelemetry.Edge.Writer;
using IotTelemetry.Edge.Writer.Duplicates;
using IotTelemetry.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace IotTelemetry.Edge.Tests;

/// <summary>
/// A write cut short: the MQTT connection goes away (its token is cancelled) while the edge cluster's producer queue is
/// full, so the message's readings are never handed to the producer. The broker redelivers the message on the next
/// connection; the writer must write those readings then, not take them for duplicates of the cut write and wait on
/// it for ever (the 5,005 readings the default soak of 2026-12-04 lost at a broker restart).
/// </summary>
public sealed class WriterCancellationTests : IDisposable
{
    private static readonly long T0 = UnixMicros.Now();
    private readonly MockCluster _kafka = new();

    public void Dispose() => _kafka.Dispose();

    [Fact]
    public async Task Readings_of_a_write_cut_short_by_a_lost_connection_are_written_by_the_redelivery()
    {
        _kafka.CreateTopic("telemetry", 1);
        _kafka.CreateTopic("telemetry.deadletter", 1);
        // Room for three records in the producer's queue: the fourth waits, as under a slow or absent edge cluster.
        var options = new KafkaClusterOptions { BootstrapServers = _kafka.BootstrapServers, Properties = { ["queue.buffering.max.messages"] = "3" } };
        using var cluster = KafkaCluster.Open("Edge", options, ["telemetry", "telemetry.deadletter"]);
        string? fatal = null;
        using var writer = new EdgeWriter(cluster, "telemetry", "telemetry.deadletter", new EdgeMetrics(new Instruments()), NullLogger.Instance,
            reason => fatal = reason, new DuplicateOptions());

        _kafka.SetAllDown();
        var first = Readings("s-first", 3);
        var firstAcked = new TaskCompletionSource();
        Assert.Null(writer.Write(first, "test", () => firstAcked.TrySetResult(), CancellationToken.None));

        // The connection of the next message is gone: its write stops at the full queue.
        var cut = Readings("s-cut", 5);
        using var lost = new CancellationTokenSource();
        await lost.CancelAsync();
        var cutAcked = false;
        Assert.Throws<OperationCanceledException>(() => writer.Write(cut, "test", () => cutAcked = true, lost.Token));

        // The broker is back and redelivers the message on a new connection.
        _kafka.SetAllUp();
        var redeliveryAcked = new TaskCompletionSource();
        Assert.Null(writer.Write(cut, "test", () => redeliveryAcked.TrySetResult(), CancellationToken.None));
        await Wait.UntilAsync(() => firstAcked.Task.IsCompleted && redeliveryAcked.Task.IsCompleted, "both writes acknowledged", TimeSpan.FromSeconds(30));

        using var probe = new KafkaProbe(_kafka.BootstrapServers, "telemetry", 1);
        await Wait.UntilAsync(() => probe.Poll() >= 0 && probe.Records.Count >= first.Count + cut.Count, "every reading in the edge topic", TimeSpan.FromSeconds(30));
        var sensors = probe.Records.Select(r => ReadingCodec.Decode(r.Message.Value!)).GroupBy(r => r.Sensor).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, sensors["s-first"]);
        Assert.Equal(5, sensors["s-cut"]); // each reading of the cut message exactly once
        Assert.False(cutAcked); // the cut write itself is never acknowledged: its readings were not all written
        Assert.Null(fatal);
    }

    private static List<Reading> Readings(string sensor, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Reading("plant-a", "pump-01", sensor, T0 + i * 1000, i, Quality.Good, "bar", "test", T0))];
}
