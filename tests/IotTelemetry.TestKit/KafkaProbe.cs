using Confluent.Kafka;

namespace IotTelemetry.TestKit;

/// <summary>Reads every partition of a topic from the beginning, without a consumer group, and keeps what it saw.</summary>
public sealed class KafkaProbe : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly List<ConsumeResult<byte[]?, byte[]?>> _records = [];
    private readonly List<TopicPartition> _partitions;

    public KafkaProbe(string bootstrapServers, string topic, int partitions)
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "probe-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
            AutoOffsetReset = AutoOffsetReset.Earliest, // an offset the cluster no longer has restarts at the oldest, never at the end
            IsolationLevel = IsolationLevel.ReadUncommitted, // read as the pipeline's own consumers do
        }).SetLogHandler((_, _) => { }).Build();
        _partitions = [.. Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p))];
        _consumer.Assign(_partitions.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
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

    /// <summary>Polls until at least <paramref name="count"/> records were seen; a timeout says what the topic holds.</summary>
    public async Task WaitForCountAsync(int count, TimeSpan? timeout = null)
    {
        try
        {
            await Wait.UntilAsync(() => { Poll(); return _records.Count >= count; }, $"{count} records", timeout);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}: have {_records.Count}; {Describe()}", ex);
        }
    }

    /// <summary>Each partition's offsets on the cluster (oldest..end) and where this probe is: a low above 0 means the cluster deleted records.</summary>
    public string Describe() => string.Join(", ", _partitions.Select(tp =>
    {
        try
        {
            var marks = _consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(5));
            return $"[{tp.Partition.Value}] {marks.Low.Value}..{marks.High.Value} at {_consumer.Position(tp).Value}";
        }
        catch (KafkaException e) { return $"[{tp.Partition.Value}] {e.Error.Reason}"; }
    }));

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
