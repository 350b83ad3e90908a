using Confluent.Kafka;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Security.Tests;

/// <summary>Writes readings into an edge telemetry topic the way the ingest does (ReadingCodec v1, key site/asset/sensor).</summary>
public sealed class PlantWriter : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;

    public PlantWriter(string bootstrapServers)
    {
        _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
        }).SetLogHandler((_, _) => { }).Build();
    }

    public List<Reading> Written { get; } = [];

    public void Write(IEnumerable<Reading> readings)
    {
        foreach (var r in readings)
        {
            _producer.Produce("telemetry", new Message<byte[], byte[]> { Key = System.Text.Encoding.UTF8.GetBytes(r.Key), Value = ReadingCodec.Encode(r) });
            Written.Add(r);
        }
        if (_producer.Flush(TimeSpan.FromSeconds(30)) > 0) throw new TimeoutException("the edge cluster did not acknowledge the readings within 30 s");
    }

    public void Dispose() => _producer.Dispose();
}
