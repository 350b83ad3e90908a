using Confluent.Kafka;
using IotTelemetry.Common.Kafka;

namespace IotTelemetry.Edge.Writer.Duplicates;

/// <summary>
/// Reads the last records of every partition of a topic once, without a consumer group: what the agent wrote just
/// before it stopped (or crashed), from which <see cref="EdgeWriter"/> rebuilds its memory of recent writes.
/// </summary>
internal static class TopicTail
{
    /// <summary>
    /// Calls <paramref name="each"/> for each of the last <paramref name="total"/> records of <paramref name="topic"/>
    /// (split evenly over its partitions, oldest first per partition). Throws <see cref="TimeoutException"/> or
    /// <see cref="KafkaException"/> when the cluster gives nothing for <paramref name="timeout"/>: the limit is on
    /// silence, not on the whole read, so that a slow but answering cluster (a loaded machine) is read to the end
    /// instead of being started over and over.
    /// </summary>
    public static long Read(KafkaCluster cluster, string topic, int total, TimeSpan timeout, Action<ConsumeResult<byte[]?, byte[]?>> each)
    {
        var config = cluster.ConsumerConfig("iott-edge-tail-" + Guid.NewGuid().ToString("N"), "iott-edge-tail");
        config.FetchWaitMaxMs = 20;
        using var consumer = KafkaClients.Consumer<byte[]?, byte[]?>(config, null, "edge tail reader").Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var metadata = admin.GetMetadata(topic, timeout).Topics.SingleOrDefault(t => t.Topic == topic);
        if (metadata is null || metadata.Error.IsError || metadata.Partitions.Count == 0)
            throw new KafkaException(metadata?.Error ?? new Error(ErrorCode.UnknownTopicOrPart, $"no metadata for topic '{topic}'"));
        var perPartition = Math.Max(1, total / metadata.Partitions.Count);
        var ends = new Dictionary<int, long>();
        var starts = new List<TopicPartitionOffset>();
        foreach (var p in metadata.Partitions)
        {
            var tp = new TopicPartition(topic, p.PartitionId);
            var marks = consumer.QueryWatermarkOffsets(tp, timeout);
            if (marks.High.Value <= marks.Low.Value) continue;
            ends[p.PartitionId] = marks.High.Value;
            starts.Add(new TopicPartitionOffset(tp, Math.Max(marks.Low.Value, marks.High.Value - perPartition)));
        }
        if (starts.Count == 0) return 0;
        consumer.Assign(starts);
        long read = 0;
        var deadline = DateTime.UtcNow + timeout;
        while (ends.Count > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the edge cluster sent nothing for {timeout.TotalSeconds:0} s");
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is not null) deadline = DateTime.UtcNow + timeout; // progress: the limit is on silence
            if (record is null)
            {
                // The cluster deleted the rest (retention), or nothing more arrives: a partition already at its end is done.
                foreach (var (partition, end) in ends.ToList())
                    if (consumer.Position(new TopicPartition(topic, partition)).Value >= end) ends.Remove(partition);
                continue;
            }
            if (record.Message is not null) { each(record); read++; }
            if (ends.TryGetValue(record.Partition.Value, out var stop) && record.Offset.Value + 1 >= stop) ends.Remove(record.Partition.Value);
        }
        return read;
    }
}
