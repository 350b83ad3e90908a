using Confluent.Kafka;
using IotTelemetry.Common.Kafka;

namespace IotTelemetry.TestKit;

/// <summary>Reads every partition of a topic from the beginning, without a consumer group, and keeps what it saw.</summary>
public sealed class KafkaProbe : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly List<ConsumeResult<byte[]?, byte[]?>> _records = [];

    public KafkaProbe(string bootstrapServers, string topic, int partitions)
    {
        KafkaNative.EnsureLoaded();
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "probe-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
            AutoOffsetReset = AutoOffsetReset.Earliest, // an offset the cluster no longer has restarts at the oldest, never at the end
            IsolationLevel = IsolationLevel.ReadUncommitted, // read as the pipeline's own consumers do
        }).SetLogHandler((_, _) => { }).Build();
        _consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
    }

    public IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> Records => _records;

    /// <summary>Reads what is available now (up to about <paramref name="budget"/>).</summary>
    public int Poll(TimeSpan? budget = null)
    {
        var until = DateTime.UtcNow + (budget ?? TimeSpan.FromMilliseconds(200));
        var n = 0;
        while (DateTime.UtcNow < until)
        {
            var cr = _consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (cr is null) { if (n > 0) break; continue; }
            _records.Add(cr);
            n++;
        }
        return n;
    }

    /// <summary>Polls until at least <paramref name="count"/> records were seen.</summary>
    public Task WaitForCountAsync(int count, TimeSpan? timeout = null) =>
        Wait.UntilAsync(() => { Poll(); return _records.Count >= count; }, $"{count} records (have {_records.Count})", timeout);

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
