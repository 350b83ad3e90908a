using Confluent.Kafka;
using IotTelemetry.Common.Kafka;

namespace IotTelemetry.Edge.Mirror;

/// <summary>
/// Finds, in a cloud partition, the last record a mirror link copied, by reading backwards from the end in
/// growing windows. Its source offset + 1 is where the link resumes: nothing copied twice, nothing skipped,
/// whatever the edge consumer group had committed.
/// </summary>
public static class ResumePoint
{
    public static long? FindLastCopiedOffset(KafkaCluster cloud, string topic, int partition, byte[] linkId, int scanLimit,
        TimeSpan timeout, CancellationToken ct)
    {
        var config = cloud.ConsumerConfig("iott-mirror-resume", "iott-mirror-resume");
        config.GroupId = "iott-mirror-resume-" + Guid.NewGuid().ToString("N"); // assign-only: never joins or commits
        config.EnableAutoCommit = false;
        using var consumer = KafkaClients.Consumer<Ignore, Ignore>(config, null, "mirror resume reader").Build();
        var tp = new TopicPartition(topic, partition);
        var marks = consumer.QueryWatermarkOffsets(tp, timeout);
        if (marks.High.Value <= marks.Low.Value) return null;
        long end = marks.High.Value;
        long window = 64;
        long scanned = 0;
        while (true)
        {
            var start = Math.Max(marks.Low.Value, end - window);
            long? lastOurs = null;
            consumer.Assign(new TopicPartitionOffset(tp, new Offset(start)));
            var deadline = DateTime.UtcNow + timeout;
            var next = start;
            while (next < end)
            {
                ct.ThrowIfCancellationRequested();
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"reading {topic}[{partition}] offsets {start}..{end - 1} on the cloud cluster took longer than {timeout.TotalSeconds:0} s");
                var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (cr is null) continue;
                next = cr.Offset.Value + 1;
                if (cr.Offset.Value >= end) break;
                if (MirrorHeaders.TryRead(cr.Message.Headers, linkId, out var sourceOffset)) lastOurs = sourceOffset;
            }
            consumer.Unassign();
            scanned += end - start;
            if (lastOurs is not null) return lastOurs;
            if (start <= marks.Low.Value || scanned >= scanLimit) return null;
            end = start;
            window *= 4;
        }
    }
}
