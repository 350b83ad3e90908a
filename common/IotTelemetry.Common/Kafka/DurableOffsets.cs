using Confluent.Kafka;

namespace IotTelemetry.Common.Kafka;

/// <summary>
/// The offsets a consumer service may commit: an offset goes to Kafka only after the service said the write it covers is
/// durable (acknowledged by the target cluster, on disk, accepted by the database). Two ways in: <see cref="Read"/> notes
/// how far each partition was read and <see cref="ReadIsDurable"/> promotes all of it at a checkpoint (a batch written
/// whole); <see cref="Durable"/> says so per partition as acknowledgements come (from a delivery report's thread).
/// <see cref="Commit"/> sends only what moved since the last commit.
/// </summary>
public sealed class DurableOffsets
{
    private readonly object _gate = new();
    private readonly Dictionary<TopicPartition, Offset> _read = [];
    private readonly Dictionary<TopicPartition, Offset> _durable = [];
    private readonly Dictionary<TopicPartition, Offset> _committed = [];

    /// <summary>Whether anything was read since the last <see cref="ReadIsDurable"/>.</summary>
    public bool HasRead { get { lock (_gate) return _read.Count > 0; } }

    /// <summary>Notes that <paramref name="record"/> was read (not yet durable): its partition resumes after it once it is.</summary>
    public void Read(ConsumeResult<byte[]?, byte[]?> record)
    {
        lock (_gate) _read[record.TopicPartition] = record.Offset + 1;
    }

    /// <summary>Everything noted by <see cref="Read"/> is durable now.</summary>
    public void ReadIsDurable()
    {
        lock (_gate)
        {
            foreach (var (tp, next) in _read) _durable[tp] = next;
            _read.Clear();
        }
    }

    /// <summary>Every record of <paramref name="partition"/> before <paramref name="next"/> is durable. Safe from any thread.</summary>
    public void Durable(TopicPartition partition, long next)
    {
        lock (_gate) _durable[partition] = new Offset(next);
    }

    /// <summary>
    /// Commits every durable offset that moved since the last commit. An offset is counted as committed before Kafka
    /// answers, so a failed commit (a <see cref="KafkaException"/> for the caller to log or to fail on) is tried again
    /// only once that partition moves on.
    /// </summary>
    public void Commit(IConsumer<byte[]?, byte[]?> consumer)
    {
        List<TopicPartitionOffset> offsets = [];
        lock (_gate)
        {
            foreach (var (tp, next) in _durable)
                if (!_committed.TryGetValue(tp, out var done) || done != next)
                {
                    offsets.Add(new TopicPartitionOffset(tp, next));
                    _committed[tp] = next;
                }
        }
        if (offsets.Count > 0) consumer.Commit(offsets);
    }

    /// <summary>Drops what is known of partitions revoked from this consumer (commit what is durable of them first).</summary>
    public void Forget(IEnumerable<TopicPartitionOffset> revoked)
    {
        lock (_gate)
            foreach (var tpo in revoked)
            {
                _read.Remove(tpo.TopicPartition);
                _durable.Remove(tpo.TopicPartition);
                _committed.Remove(tpo.TopicPartition);
            }
    }
}
