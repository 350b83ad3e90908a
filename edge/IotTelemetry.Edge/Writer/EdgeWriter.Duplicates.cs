using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Writer.Duplicates;

namespace IotTelemetry.Edge.Writer;

/// <summary>The writer's memory of recent writes: what makes a redelivered message land once.</summary>
public sealed partial class EdgeWriter
{
    private readonly object _gate = new();
    private readonly RecentWrites<ReadingIdentity>? _recentReadings;
    private readonly RecentWrites<DeadLetterIdentity>? _recentDeadLetters;
    private readonly DuplicateOptions _duplicates;
    private readonly KafkaCluster _edge;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes once the recent writes of the previous run are read back from the edge topics (at once when duplicate
    /// detection is off). Inputs wait for it before they take their first message.
    /// </summary>
    public Task Ready => _recentReadings is null ? Task.CompletedTask : _ready.Task;

    /// <summary>Readings in the memory of recent writes (a test and the start-up log line read it).</summary>
    public int RememberedReadings { get { lock (_gate) return _recentReadings?.Count ?? 0; } }

    /// <summary>Reads the tails back on a thread of its own, retrying while the edge cluster cannot be reached.</summary>
    public void StartReadBack(CancellationToken stopping)
    {
        if (_recentReadings is null || _recentDeadLetters is null) return;
        _ = Task.Run(async () =>
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    var started = DateTime.UtcNow;
                    var readings = TopicTail.Read(_edge, _telemetryTopic, _recentReadings.Capacity, _duplicates.ReadBackTimeout, RememberReading);
                    var deadLetters = TopicTail.Read(_edge, _deadLetterTopic, _recentDeadLetters.Capacity, _duplicates.ReadBackTimeout, RememberDeadLetter);
                    LogMessages.RecentWritesReadBack(_log, readings, _telemetryTopic, deadLetters, _deadLetterTopic, (DateTime.UtcNow - started).TotalMilliseconds);
                    _ready.TrySetResult();
                    return;
                }
                catch (Exception ex) when (ex is KafkaException or TimeoutException)
                {
                    LogMessages.RecentWritesReadBackFailed(_log, ex.Message);
                    try { await Task.Delay(TimeSpan.FromSeconds(1), stopping); } catch (OperationCanceledException) { break; }
                }
            }
            _ready.TrySetCanceled(stopping);
        }, CancellationToken.None);
    }

    private void RememberReading(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (record.Message.Value is not { } value) return;
        Reading reading;
        try { reading = ReadingCodec.Decode(value); }
        catch (ReadingFormatException) { return; } // not ours to judge here: the mirror carries it on as it is
        lock (_gate) _recentReadings!.Add(ReadingIdentity.Of(reading), WriteBatch.Durable);
    }

    private void RememberDeadLetter(ConsumeResult<byte[]?, byte[]?> record)
    {
        var headers = record.Message.Headers;
        if (record.Message.Key is not { } key || headers is null || headers.TryGetLastBytes(DeadLetterHeaders.OriginalSize, out _)) return; // cut ones are not compared
        var payload = record.Message.Value ?? [];
        lock (_gate) _recentDeadLetters!.Add(DeadLetterIdentity.Of(System.Text.Encoding.UTF8.GetString(key), payload), WriteBatch.Durable);
    }

    /// <summary>
    /// Writes those of <paramref name="readings"/> that were not written already. The input is acknowledged when the new
    /// records are durable and so is every earlier batch that wrote one of the others.
    /// </summary>
    private void WriteOnce(IReadOnlyList<Reading> readings, Message<byte[], byte[]>[] messages, string source, Action acknowledged, CancellationToken ct)
    {
        var batch = new WriteBatch(acknowledged);
        bool[]? skip = null;
        List<WriteBatch>? earlier = null;
        var fresh = 0;
        lock (_gate)
        {
            for (var i = 0; i < readings.Count; i++)
            {
                var identity = ReadingIdentity.Of(readings[i]);
                if (_recentReadings!.TryGet(identity, out var writer))
                {
                    (skip ??= new bool[readings.Count])[i] = true;
                    if (writer != batch && !writer.IsDurable && !(earlier ??= []).Contains(writer)) earlier.Add(writer);
                    continue;
                }
                _recentReadings.Add(identity, batch);
                fresh++;
            }
        }
        if (skip is not null) _metrics.DuplicatesSkipped("reading").Add(readings.Count - fresh);
        batch.Start(fresh + (earlier?.Count ?? 0));
        if (earlier is not null) foreach (var w in earlier) w.WhenDurable(batch.One);
        var next = 0;
        try
        {
            for (; next < messages.Length; next++)
                if (skip is null || !skip[next]) Produce(_telemetryTopic, messages[next], source, batch, isReading: true, ct);
        }
        catch (OperationCanceledException)
        {
            // Readings from `next` on were never handed to the producer: forgotten, so that the redelivery writes them
            // (remembered, a redelivery would wait on this batch for ever and never write them).
            var unwritten = 0;
            lock (_gate)
                for (var i = next; i < messages.Length; i++)
                    if (skip is null || !skip[i]) { _recentReadings!.Forget(ReadingIdentity.Of(readings[i]), batch); unwritten++; }
            batch.Abandon(unwritten);
            throw;
        }
    }

    /// <summary>A redelivered message dead-lettered already: acknowledged once that dead letter is durable, not written again.</summary>
    private bool IsDeadLetteredAlready(string topic, ReadOnlySpan<byte> payload, Action acknowledged)
    {
        if (_recentDeadLetters is null) return false;
        WriteBatch? writer;
        lock (_gate) if (!_recentDeadLetters.TryGet(DeadLetterIdentity.Of(topic, payload), out writer)) return false;
        _metrics.DuplicatesSkipped("dead_letter").Increment();
        writer.WhenDurable(acknowledged);
        return true;
    }
}
