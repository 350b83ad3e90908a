using Confluent.Kafka;
using IotTelemetry.Common.Kafka;

namespace IotTelemetry.Edge.Mirror;

/// <summary>What reading a cloud partition backwards proved about a mirror link's copies in it.</summary>
public enum ResumeFinding
{
    /// <summary>A copy of this link was found: resume right after its source offset.</summary>
    LastCopy,

    /// <summary>
    /// Proof that this link never copied into the partition: it is empty with nothing ever deleted (low = high = 0), or
    /// every record from offset 0 to the end was read and none is this link's.
    /// </summary>
    NeverCopied,

    /// <summary>None of this link's copies back to the low watermark, which is above 0: older records (perhaps ours) were deleted.</summary>
    OlderRecordsDeleted,

    /// <summary>None of this link's copies within <see cref="MirrorOptions.ResumeScanLimit"/> records of the end; older ones not read.</summary>
    ScanLimitReached,
}

/// <param name="LastSourceOffset">The edge offset of the last copy found (<see cref="ResumeFinding.LastCopy"/> only), else -1.</param>
/// <param name="Low">The cloud partition's low watermark when the search started.</param>
/// <param name="High">Its high watermark (end) when the search started.</param>
/// <param name="Scanned">Records read from the end.</param>
public sealed record ResumeSearch(ResumeFinding Finding, long LastSourceOffset, long Low, long High, long Scanned);

/// <summary>
/// Finds, in a cloud partition, the last record a mirror link copied, by reading backwards from the end in growing
/// windows. Its source offset + 1 is where the link resumes: nothing copied twice, nothing skipped, whatever the edge
/// consumer group had committed. Anything it cannot read (watermarks unavailable, a cluster that answers nothing for
/// <c>silence</c>, an error) throws: "cannot tell yet" is never returned as "nothing there".
/// </summary>
public static class ResumePoint
{
    private const long FirstWindow = 64;

    public static ResumeSearch Find(KafkaCluster cloud, string topic, int partition, byte[] linkId, int scanLimit,
        TimeSpan silence, CancellationToken ct)
    {
        var config = cloud.ConsumerConfig("iott-mirror-resume", "iott-mirror-resume");
        config.GroupId = "iott-mirror-resume-" + Guid.NewGuid().ToString("N"); // assign-only: never joins or commits
        config.EnableAutoCommit = false;
        using var consumer = KafkaClients.Consumer<Ignore, Ignore>(config, null, "mirror resume reader").Build();
        var tp = new TopicPartition(topic, partition);
        var marks = consumer.QueryWatermarkOffsets(tp, silence); // throws when the cluster does not answer
        long low = marks.Low.Value, high = marks.High.Value;
        if (low < 0 || high < low)
            throw new InvalidOperationException($"the cloud cluster answered watermarks {low}..{high} for {topic}[{partition}]; cannot tell where the mirror's copies end");
        if (high == low) return new ResumeSearch(low == 0 ? ResumeFinding.NeverCopied : ResumeFinding.OlderRecordsDeleted, -1, low, high, 0);

        long end = high, window = FirstWindow, scanned = 0;
        while (true)
        {
            var start = Math.Max(low, end - Math.Min(window, scanLimit - scanned));
            var lastOurs = LastCopyIn(consumer, tp, start, end, linkId, silence, ct);
            scanned += end - start;
            if (lastOurs is { } found) return new ResumeSearch(ResumeFinding.LastCopy, found, low, high, scanned);
            if (start <= low) return new ResumeSearch(low == 0 ? ResumeFinding.NeverCopied : ResumeFinding.OlderRecordsDeleted, -1, low, high, scanned);
            if (scanned >= scanLimit) return new ResumeSearch(ResumeFinding.ScanLimitReached, -1, low, high, scanned);
            end = start;
            window *= 4;
        }
    }

    /// <summary>
    /// The source offset of the last copy of <paramref name="linkId"/> in offsets [start, end), or null if none is there.
    /// Records deleted meanwhile are skipped (the consumer resets to the oldest); a read that gets nothing for
    /// <paramref name="silence"/> throws rather than report "none".
    /// </summary>
    private static long? LastCopyIn(IConsumer<Ignore, Ignore> consumer, TopicPartition tp, long start, long end, byte[] linkId,
        TimeSpan silence, CancellationToken ct)
    {
        long? lastOurs = null;
        consumer.Assign(new TopicPartitionOffset(tp, new Offset(start)));
        try
        {
            var quietUntil = DateTime.UtcNow + silence;
            var next = start;
            while (next < end)
            {
                ct.ThrowIfCancellationRequested();
                if (DateTime.UtcNow > quietUntil)
                    throw new TimeoutException($"reading {tp.Topic}[{tp.Partition.Value}] offsets {next}..{end - 1} on the cloud cluster: nothing for {silence.TotalSeconds:0} s; cannot tell where the mirror's copies end");
                var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (cr is null) continue;
                quietUntil = DateTime.UtcNow + silence;
                next = cr.Offset.Value + 1;
                if (cr.Offset.Value >= end) break;
                if (MirrorHeaders.TryRead(cr.Message.Headers, linkId, out var sourceOffset)) lastOurs = sourceOffset;
            }
        }
        finally
        {
            consumer.Unassign();
        }
        return lastOurs;
    }
}
