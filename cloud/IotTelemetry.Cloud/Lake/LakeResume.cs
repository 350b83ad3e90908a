using Confluent.Kafka;

namespace IotTelemetry.Cloud.Lake;

/// <summary>Where a writer that keeps a <see cref="LakeIntent"/> per Kafka partition resumes a partition it was assigned.</summary>
public static class LakeResume
{
    /// <summary>
    /// Finishes the partition's intent under <paramref name="root"/> (a crash may have come between the intent and the
    /// renames) and returns the later of the committed offset and the offset after the intent's last: an intent written
    /// before a commit that never happened moves the resume point past files already in place. No commit and no
    /// intent: from the beginning.
    /// </summary>
    public static TopicPartitionOffset From(string root, TopicPartitionOffset committed)
    {
        ArgumentNullException.ThrowIfNull(committed);
        var intent = LakeIntent.Read(root, committed.Topic, committed.Partition.Value);
        if (intent is null) return committed.Offset == Offset.Unset ? new TopicPartitionOffset(committed.TopicPartition, Offset.Beginning) : committed;
        intent.Complete(root);
        var resume = Math.Max(committed.Offset == Offset.Unset ? 0 : committed.Offset.Value, intent.LastOffset + 1);
        return new TopicPartitionOffset(committed.TopicPartition, new Offset(resume));
    }
}
