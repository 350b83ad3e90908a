using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.TestKit;

/// <summary>
/// Puts readings on a Kafka topic the way the pipeline writes them (the edge ingest into the plant's topic, the mirror
/// into the cloud's): <see cref="ReadingCodec"/> values keyed by site/asset/sensor, idempotent with acks=all, so a test's
/// readings arrive once and in order per key. <see cref="Produce"/> waits for every acknowledgement; <see cref="Send"/>
/// queues one record (a chosen partition, headers, a delivery callback) for the next <see cref="Flush"/>.
/// </summary>
public sealed class ReadingProducer : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;

    /// <param name="tune">Changes to the producer's configuration (a benchmark's batching), applied before it is built.</param>
    public ReadingProducer(string bootstrapServers, string topic = "telemetry", Action<ProducerConfig>? tune = null)
    {
        Topic = topic;
        var config = new ProducerConfig { BootstrapServers = bootstrapServers, Acks = Acks.All, EnableIdempotence = true, LingerMs = 5 };
        tune?.Invoke(config);
        _producer = new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
    }

    public string Topic { get; }

    /// <summary>Every reading sent, in the order sent (acknowledged once <see cref="Flush"/> returned); sends from several threads lock it.</summary>
    public List<Reading> Written { get; } = [];

    /// <summary>Sends every reading and waits until Kafka acknowledged all of them.</summary>
    public void Produce(IEnumerable<Reading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        foreach (var r in readings) Send(r);
        Flush();
    }

    /// <summary>
    /// Queues one reading: to <paramref name="partition"/> (else by its key), with <paramref name="headers"/>;
    /// <paramref name="delivered"/> sees its acknowledgement (partition, offset) or error.
    /// </summary>
    public void Send(Reading reading, int? partition = null, Headers? headers = null, Action<DeliveryReport<byte[], byte[]>>? delivered = null)
    {
        ArgumentNullException.ThrowIfNull(reading);
        SendRecord(reading.Key, ReadingCodec.Encode(reading), partition, headers, delivered);
        lock (Written) Written.Add(reading);
    }

    /// <summary>Queues a record whose value is not a reading (a test of what the consumers do with garbage).</summary>
    public void SendRecord(string key, byte[] value, int? partition = null, Headers? headers = null, Action<DeliveryReport<byte[], byte[]>>? delivered = null)
    {
        var message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = value, Headers = headers };
        var target = partition is { } p ? new TopicPartition(Topic, p) : new TopicPartition(Topic, Partition.Any);
        while (true)
        {
            try
            {
                _producer.Produce(target, message, delivered);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(50)); // the local queue drains as acknowledgements arrive
            }
        }
    }

    /// <summary>Waits until Kafka acknowledged everything sent; throws naming how many records it did not.</summary>
    public void Flush(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var left = _producer.Flush(limit);
        if (left > 0) throw new TimeoutException($"{left} records on {Topic} not acknowledged by Kafka within {limit.TotalSeconds:0} s");
    }

    public void Dispose() => _producer.Dispose();
}
