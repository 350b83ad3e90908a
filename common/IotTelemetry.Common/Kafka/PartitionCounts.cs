using Confluent.Kafka;

namespace IotTelemetry.Common.Kafka;

/// <summary>
/// The check of a link that copies partition p to partition p (the mirror, vendor curation): the target topic must have
/// at least the source's partitions, or records of the last source partitions would have nowhere to go. A session checks
/// before it subscribes and fails with the remedy otherwise.
/// </summary>
public static class PartitionCounts
{
    /// <summary>One side of the link: the topic, what to call it in the message ("edge topic"), and an admin client of its cluster.</summary>
    public readonly record struct Side(IAdminClient Admin, string Topic, string Label);

    /// <summary>Throws <see cref="InvalidOperationException"/> naming both topics when <paramref name="target"/> has fewer partitions.</summary>
    /// <param name="keeper">Who keeps the partition numbers, e.g. "the mirror".</param>
    public static void Require(Side source, Side target, string keeper, TimeSpan timeout)
    {
        var sourceCount = Count(source, timeout);
        var targetCount = Count(target, timeout);
        if (targetCount < sourceCount)
            throw new InvalidOperationException(
                $"{target.Label} '{target.Topic}' has {targetCount} partitions but {source.Label} '{source.Topic}' has {sourceCount}; " +
                $"{keeper} keeps partition numbers, so create the {target.Label} with at least as many partitions");
    }

    private static int Count(Side side, TimeSpan timeout)
    {
        var topic = side.Admin.GetMetadata(side.Topic, timeout).Topics.Single();
        if (topic.Error.IsError) throw new InvalidOperationException($"{side.Label} '{side.Topic}': {topic.Error.Reason}");
        return topic.Partitions.Count;
    }
}
