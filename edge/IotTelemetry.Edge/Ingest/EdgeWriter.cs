using System.Globalization;
using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.DeadLetters;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Edge.Ingest;

/// <summary>
/// Writes readings and dead letters to the edge cluster with one idempotent, acks=all producer, and calls
/// back once everything that came from one input message is acknowledged: only then may the input be
/// acknowledged to its source (MQTT PUBACK, say).
/// </summary>
public sealed class EdgeWriter : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly string _telemetryTopic;
    private readonly string _deadLetterTopic;
    private readonly EdgeMetrics _metrics;
    private readonly ILogger _log;
    private readonly Action<string> _fatal;

    /// <param name="fatal">Called when the producer can no longer guarantee delivery; the host stops and its supervisor restarts it.</param>
    public EdgeWriter(KafkaCluster edge, string telemetryTopic, string deadLetterTopic, EdgeMetrics metrics, ILogger log, Action<string> fatal)
    {
        _telemetryTopic = telemetryTopic;
        _deadLetterTopic = deadLetterTopic;
        _metrics = metrics;
        _log = log;
        _fatal = fatal;
        _producer = new ProducerBuilder<byte[], byte[]>(edge.ProducerConfig("iott-edge-ingest"))
            .SetLogHandler((_, m) => LogMessages.KafkaClientLog(log, "edge producer", m.Level.ToString(), m.Message))
            .SetErrorHandler((_, e) => { if (e.IsFatal) fatal("edge producer: " + e.Reason); })
            .Build();
    }

    /// <summary>
    /// The agent's writer: a producer failure that makes delivery uncertain stops the agent (exit code 1) so its
    /// supervisor restarts it; unacknowledged MQTT messages are then redelivered by the broker.
    /// </summary>
    public static EdgeWriter Create(EdgeSettings settings, KafkaCluster edge, EdgeMetrics metrics, ILogger log, IHostApplicationLifetime lifetime)
    {
        var writer = new EdgeWriter(edge, settings.Topics.Telemetry, settings.Topics.DeadLetter, metrics, log, reason =>
        {
            log.LogCritical("Stopping the edge agent: {Reason}. Unacknowledged MQTT messages will be redelivered after restart.", reason);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        });
        metrics.Registry.Gauge("iott_edge_kafka_in_flight", "Records written and not yet acknowledged by the edge cluster", () => writer.InFlight);
        return writer;
    }

    /// <summary>Messages handed to the producer and not yet acknowledged by the edge cluster.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    private long _inFlight;

    /// <summary>Writes every reading; <paramref name="acknowledged"/> runs once all of them are durable.</summary>
    public void Write(IReadOnlyList<Reading> readings, string source, Action acknowledged, CancellationToken ct)
    {
        if (readings.Count == 0)
        {
            acknowledged();
            return;
        }
        var pending = new PendingAck(readings.Count, acknowledged);
        foreach (var reading in readings)
        {
            var message = new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(reading.Key),
                Value = ReadingCodec.Encode(reading),
                Timestamp = new Timestamp(reading.TimestampMicros / 1000, TimestampType.CreateTime),
            };
            Produce(_telemetryTopic, message, source, pending, isReading: true, ct);
        }
    }

    /// <summary>Writes the original payload to the dead-letter topic with the reason; <paramref name="acknowledged"/> runs once it is durable.</summary>
    public void WriteDeadLetter(string topic, ReadOnlySpan<byte> payload, string source, Rejection rejection, long receivedMicros,
        Action acknowledged, CancellationToken ct)
    {
        _metrics.DeadLetters(rejection.Reason).Increment();
        LogMessages.DeadLetter(_log, source, rejection.Reason, rejection.Detail);
        var headers = new Headers
        {
            { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(rejection.Reason) },
            { DeadLetterHeaders.Detail, Encoding.UTF8.GetBytes(rejection.Detail) },
            { DeadLetterHeaders.Source, Encoding.UTF8.GetBytes(source) },
            { DeadLetterHeaders.ReceivedMicros, Encoding.UTF8.GetBytes(receivedMicros.ToString(CultureInfo.InvariantCulture)) },
        };
        var message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(topic), Value = payload.ToArray(), Headers = headers };
        Produce(_deadLetterTopic, message, source, new PendingAck(1, acknowledged), isReading: false, ct);
    }

    private void Produce(string topic, Message<byte[], byte[]> message, string source, PendingAck pending, bool isReading, CancellationToken ct)
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
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                ct.ThrowIfCancellationRequested();
                _producer.Poll(TimeSpan.FromMilliseconds(50)); // back-pressure: the edge cluster is slow or away
            }
        }
    }

    /// <summary>Waits until everything written so far is acknowledged (shutdown).</summary>
    public void Flush(TimeSpan timeout) => _producer.Flush(timeout);

    public void Dispose() => _producer.Dispose();

    private sealed class PendingAck(int count, Action acknowledged)
    {
        private int _remaining = count;

        public void One()
        {
            if (Interlocked.Decrement(ref _remaining) == 0) acknowledged();
        }
    }
}
