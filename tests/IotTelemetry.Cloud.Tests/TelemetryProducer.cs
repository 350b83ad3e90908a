using Confluent.Kafka;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Cloud.Tests;

/// <summary>Puts readings on a cloud telemetry topic the way the mirror does: binary v1 values, keyed by sensor.</summary>
public sealed class TelemetryProducer : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly string _topic;

    public TelemetryProducer(string bootstrapServers, string topic = "telemetry")
    {
        _topic = topic;
        _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 2,
        }).SetLogHandler((_, _) => { }).Build();
    }

    public void Produce(IEnumerable<Reading> readings)
    {
        foreach (var r in readings)
            _producer.Produce(_topic, new Message<byte[], byte[]> { Key = System.Text.Encoding.UTF8.GetBytes(r.Key), Value = ReadingCodec.Encode(r) });
        var left = _producer.Flush(TimeSpan.FromSeconds(30));
        if (left > 0) throw new TimeoutException($"{left} readings not acknowledged by Kafka within 30 s");
    }

    public void Dispose() => _producer.Dispose();
}
