using System.Globalization;
using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Validation;
using IotTelemetry.Edge.Writer.Duplicates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IotTelemetry.Edge.Writer;

/// <summary>
/// Writes readings and dead letters to the edge cluster with one idempotent, acks=all producer, and calls
/// back once everything that came from one input message is acknowledged: only then may the input be
/// acknowledged to its source (MQTT PUBACK, say).
/// </summary>
/// <remarks>
/// It also remembers its recent writes (<see cref="DuplicateOptions"/>): a reading it wrote already, the same sensor, event
/// time, value and quality, is not written again, and a redelivered message whose dead letter it wrote already is not
/// dead-lettered again; the input is acknowledged once the earlier write is durable. After a restart the memory is
/// read back from the tail of the edge topics (<see cref="Ready"/>) before any input is taken.
/// </remarks>
public sealed partial class EdgeWriter : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly string _telemetryTopic;
    private readonly string _deadLetterTopic;
    private readonly EdgeMetrics _metrics;
    private readonly ILogger _log;
    private readonly Action<string> _fatal;
    private readonly int _messageMaxBytes;

    /// <param name="fatal">Called when the producer can no longer guarantee delivery; the host stops and its supervisor restarts it.</param>
    public EdgeWriter(KafkaCluster edge, string telemetryTopic, string deadLetterTopic, EdgeMetrics metrics, ILogger log, Action<string> fatal,
        DuplicateOptions? duplicates = null)
    {
        _messageMaxBytes = edge.MessageMaxBytes;
        _telemetryTopic = telemetryTopic;
        _deadLetterTopic = deadLetterTopic;
        _metrics = metrics;
        _log = log;
        _fatal = fatal;
        _producer = KafkaClients.Producer<byte[], byte[]>(edge.ProducerConfig("iott-edge-ingest"), log, "edge producer", e => fatal("edge producer: " + e.Reason))
            .Build();
        duplicates ??= new DuplicateOptions();
        if (duplicates.Enabled)
        {
            _recentReadings = new RecentWrites<ReadingIdentity>(duplicates.Window);
            _recentDeadLetters = new RecentWrites<DeadLetterIdentity>(duplicates.DeadLetterWindow);
        }
        _duplicates = duplicates;
        _edge = edge;
    }

    /// <summary>
    /// The agent's writer: a producer failure that makes delivery uncertain stops the agent (exit code 1) so its
    /// supervisor restarts it; unacknowledged MQTT messages are then redelivered by the broker.
    /// </summary>
    public static EdgeWriter Create(IOptions<TopicOptions> topics, IOptions<DuplicateOptions> duplicates, KafkaCluster edge, EdgeMetrics metrics, ILogger log,
        IHostApplicationLifetime lifetime)
    {
        var writer = new EdgeWriter(edge, topics.Value.Telemetry, topics.Value.DeadLetter, metrics, log, reason =>
        {
            log.LogCritical("Stopping the edge agent: {Reason}. Unacknowledged MQTT messages will be redelivered after restart.", reason);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }, duplicates.Value);
        metrics.Registry.Gauge("iott_edge_kafka_in_flight", "Records written and not yet acknowledged by the edge cluster", () => writer.InFlight);
        writer.StartReadBack(lifetime.ApplicationStopping);
        return writer;
    }

    /// <summary>Messages handed to the producer and not yet acknowledged by the edge cluster.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    private long _inFlight;

    /// <summary>
    /// Writes every reading; <paramref name="acknowledged"/> runs once all of them are durable. A reading that cannot be
    /// encoded writes nothing and comes back as a rejection (<c>unencodable</c>) for the caller to dead-letter.
    /// <paramref name="rule"/>, when given, goes with each record as the <c>iott-rule</c> header (the lake's lineage names it).
    /// </summary>
    public Rejection? Write(IReadOnlyList<Reading> readings, string source, Action acknowledged, CancellationToken ct, string? rule = null)
    {
        if (readings.Count == 0)
        {
            acknowledged();
            return null;
        }
        var messages = new Message<byte[], byte[]>[readings.Count];
        for (var i = 0; i < readings.Count; i++)
        {
            var reading = readings[i];
            try
            {
                messages[i] = new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes(reading.Key),
                    Value = ReadingCodec.Encode(reading),
                    Timestamp = new Timestamp(reading.TimestampMicros / 1000, TimestampType.CreateTime),
                    Headers = rule is null ? null : new Headers { { LineageHeaders.Rule, RuleBytes(rule) } },
                };
            }
            catch (Exception ex) when (ex is ReadingFormatException or ArgumentException)
            {
                return new Rejection(RejectReason.Unencodable, $"reading {i} ({Truncate(reading.Key)}) cannot be encoded: {ex.Message}");
            }
        }
        if (_recentReadings is null)
        {
            var all = new WriteBatch(acknowledged);
            all.Start(messages.Length);
            foreach (var message in messages) Produce(_telemetryTopic, message, source, all, isReading: true, ct);
            return null;
        }
        WriteOnce(readings, messages, source, acknowledged, ct);
        return null;
    }

    /// <summary>
    /// Writes the original payload to the dead-letter topic with the reason; <paramref name="acknowledged"/> runs once it is
    /// durable. A payload too large for the edge cluster's message limit is cut to fit, with its original size in the
    /// <c>iott-original-size</c> header; if even that cannot be written, the rejection is logged and counted, never thrown.
    /// </summary>
    public void WriteDeadLetter(string topic, ReadOnlySpan<byte> payload, string source, Rejection rejection, long receivedMicros,
        Action acknowledged, CancellationToken ct, bool redelivered = false)
    {
        if (redelivered && IsDeadLetteredAlready(topic, payload, acknowledged)) return;
        _metrics.DeadLetters(rejection.Reason).Increment();
        LogMessages.DeadLetter(_log, source, rejection.Reason, rejection.Detail);
        var key = Encoding.UTF8.GetBytes(topic);
        var headers = new Headers
        {
            { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(rejection.Reason) },
            { DeadLetterHeaders.Detail, Encoding.UTF8.GetBytes(Truncate(rejection.Detail, 2048)) },
            { DeadLetterHeaders.Source, Encoding.UTF8.GetBytes(source) },
            { DeadLetterHeaders.ReceivedMicros, Encoding.UTF8.GetBytes(receivedMicros.ToString(CultureInfo.InvariantCulture)) },
        };
        // librdkafka counts key, value and headers against message.max.bytes, plus the record's framing.
        var room = _messageMaxBytes - key.Length - headers.Sum(h => h.Key.Length + h.GetValueBytes().Length + 16) - 1024;
        var value = payload;
        if (payload.Length > room)
        {
            value = payload[..Math.Max(0, room)];
            headers.Add(DeadLetterHeaders.OriginalSize, Encoding.UTF8.GetBytes(payload.Length.ToString(CultureInfo.InvariantCulture)));
            _metrics.DeadLettersTruncated.Increment();
        }
        var message = new Message<byte[], byte[]> { Key = key, Value = value.ToArray(), Headers = headers };
        var batch = new WriteBatch(acknowledged);
        batch.Start(1);
        var identity = DeadLetterIdentity.Of(topic, payload);
        var remembered = _recentDeadLetters is not null && payload.Length <= room;
        if (remembered)
            lock (_gate) _recentDeadLetters!.Add(identity, batch);
        bool written;
        try
        {
            written = Produce(_deadLetterTopic, message, source, batch, isReading: false, ct);
        }
        catch (OperationCanceledException)
        {
            // never handed to the producer: the redelivery dead-letters it
            if (remembered) lock (_gate) _recentDeadLetters!.Forget(identity, batch);
            batch.Abandon(1);
            throw;
        }
        if (!written)
        {
            _metrics.DeadLettersUnwritable.Increment();
            LogMessages.DeadLetterUnwritable(_log, source, rejection.Reason, payload.Length);
            batch.One(); // nothing more can be done with it: redelivery would fail the same way forever
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _ruleBytes = new(StringComparer.Ordinal);

    /// <summary>A rule's name as header bytes, encoded once per rule (there are few).</summary>
    private byte[] RuleBytes(string rule) => _ruleBytes.GetOrAdd(rule, static r => Encoding.UTF8.GetBytes(r));

    private static string Truncate(string s, int max = 64) => s.Length <= max ? s : s[..max] + "…";

    /// <summary>Hands one record to the producer, waiting while its queue is full; false when the producer refuses it outright.</summary>
    private bool Produce(string topic, Message<byte[], byte[]> message, string source, WriteBatch pending, bool isReading, CancellationToken ct)
    {
        Interlocked.Increment(ref _inFlight);
        while (true)
        {
            try
            {
                _producer.Produce(topic, message, report =>
                {
                    Interlocked.Decrement(ref _inFlight);
                    if (report.Error.IsError)
                    {
                        LogMessages.EdgeWriteFailed(_log, source, report.Error.Reason);
                        _fatal("edge write failed: " + report.Error.Reason);
                        return;
                    }
                    if (isReading) _metrics.ReadingsProduced.Increment();
                    pending.One();
                });
                return true;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                if (ct.IsCancellationRequested)
                {
                    Interlocked.Decrement(ref _inFlight);
                    ct.ThrowIfCancellationRequested();
                }
                _producer.Poll(TimeSpan.FromMilliseconds(50)); // back-pressure: the edge cluster is slow or away
            }
            catch (ProduceException<byte[], byte[]> ex)
            {
                Interlocked.Decrement(ref _inFlight);
                LogMessages.EdgeWriteFailed(_log, source, ex.Error.Reason);
                if (isReading) _fatal("edge write refused: " + ex.Error.Reason); // a reading is never dropped: stop, and the source redelivers
                return false;
            }
        }
    }

    /// <summary>Waits until everything written so far is acknowledged (shutdown).</summary>
    public void Flush(TimeSpan timeout) => _producer.Flush(timeout);

    public void Dispose() => _producer.Dispose();
}
