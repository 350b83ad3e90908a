using Confluent.Kafka;
using IotTelemetry.Lake;

namespace IotTelemetry.Cloud.Lake;

/// <summary>Where a writer that keeps a <see cref="LakeIntent"/> per Kafka partition (the raw sink, the rollup writer) resumes a partition it was assigned.</summary>
public static class LakeResume
{
    /// <summary>
    /// Completes the partition's intent kept in <paramref name="intents"/> (a crash may have come between the intent and
    /// the commits) and returns the later of the committed offset and the offset after the intent's last: an intent
    /// written before a Kafka commit that never happened moves the resume point past files already in place.
    /// No commit and no intent: from the beginning.
    /// </summary>
    public static TopicPartitionOffset From(LakeDataset intents, TopicPartitionOffset committed)
    {
        ArgumentNullException.ThrowIfNull(intents);
        ArgumentNullException.ThrowIfNull(committed);
        var intent = LakeIntent.Read(intents, committed.Topic, committed.Partition.Value);
        if (intent is null) return committed.Offset == Offset.Unset ? new TopicPartitionOffset(committed.TopicPartition, Offset.Beginning) : committed;
        intent.Complete(intents.Store);
        var resume = Math.Max(committed.Offset == Offset.Unset ? 0 : committed.Offset.Value, intent.LastOffset + 1);
        return new TopicPartitionOffset(committed.TopicPartition, new Offset(resume));
    }

    /// <summary>
    /// Where each partition just assigned to <paramref name="consumer"/> resumes (<see cref="From"/> its committed offset),
    /// telling <paramref name="opened"/> each partition first so that the writer starts its batch.
    /// </summary>
    public static IEnumerable<TopicPartitionOffset> Assigned(LakeDataset intents, IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions,
        Action<int> opened) =>
        consumer.Committed(partitions, TimeSpan.FromSeconds(30)).Select(tpo =>
        {
            opened(tpo.Partition.Value);
            return From(intents, tpo);
        }).ToList();

    /// <summary>
    /// Commits a partition up to the end of a batch whose files are in place and recorded in its intent. A failed commit
    /// is only logged (as <paramref name="what"/>, through <paramref name="failed"/>): the intent already moves the resume
    /// point past those files, so the next owner of the partition neither loses nor writes them again.
    /// </summary>
    public static void Commit(IConsumer<byte[]?, byte[]?> consumer, string topic, int partition, long lastOffset, Action<string> failed)
    {
        try
        {
            consumer.Commit([new TopicPartitionOffset(topic, partition, lastOffset + 1)]);
        }
        catch (KafkaException ex)
        {
            failed(ex.Error.Reason);
        }
    }
}
