using Confluent.Kafka;
using IotTelemetry.Common.Kafka;

namespace IotTelemetry.Edge.Vendors;

/// <summary>Reads what a restarted curator needs from the edge cluster, without joining a consumer group.</summary>
public static class VendorTopicReader
{
    /// <summary>The mark of the last record of <paramref name="topic"/>[<paramref name="partition"/>], or null when it is empty.</summary>
    public static ResumeMark? LastMark(KafkaCluster edge, string topic, int partition, string vendor, TimeSpan timeout, CancellationToken ct)
    {
        using var consumer = Reader(edge);
        var tp = new TopicPartition(topic, partition);
        var marks = consumer.QueryWatermarkOffsets(tp, timeout);
        if (marks.High.Value <= marks.Low.Value) return null;
        var last = marks.High.Value - 1;
        consumer.Assign(new TopicPartitionOffset(tp, new Offset(last)));
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"reading the last record ({last}) of {topic}[{partition}] took longer than {timeout.TotalSeconds:0} s");
            var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (cr is null || cr.Offset.Value < last) continue;
            return VendorHeaders.TryRead(cr.Message.Headers, vendor)
                ?? throw new InvalidOperationException(
                    $"{topic}[{partition}] offset {cr.Offset.Value}: expected a record written by the curator of vendor '{vendor}' " +
                    "(headers iott-vendor, iott-src-offset, iott-seq, iott-replay-from, iott-policy) but got another; only the curator may write this topic");
        }
    }

    /// <summary>Every record of <paramref name="topic"/> up to its current end, all partitions.</summary>
    public static List<Message<byte[]?, byte[]?>> ReadAll(KafkaCluster edge, string topic, TimeSpan timeout, CancellationToken ct)
    {
        using var consumer = Reader(edge);
        var admin = new AdminClientConfig();
        edge.ApplyTo(admin, "iott-vendor-admin");
        int partitions;
        using (var adminClient = KafkaClients.Admin(admin, null, "vendor admin"))
        {
            var meta = adminClient.GetMetadata(topic, timeout).Topics.Single();
            if (meta.Error.IsError) throw new InvalidOperationException($"edge topic '{topic}': {meta.Error.Reason}");
            partitions = meta.Partitions.Count;
        }
        var result = new List<Message<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow + timeout;
        for (var p = 0; p < partitions; p++)
        {
            var tp = new TopicPartition(topic, p);
            var marks = consumer.QueryWatermarkOffsets(tp, timeout);
            if (marks.High.Value <= marks.Low.Value) continue;
            consumer.Assign(new TopicPartitionOffset(tp, marks.Low));
            var next = marks.Low.Value;
            while (next < marks.High.Value)
            {
                ct.ThrowIfCancellationRequested();
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"reading {topic} took longer than {timeout.TotalSeconds:0} s");
                var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (cr is null) continue;
                next = cr.Offset.Value + 1;
                result.Add(cr.Message);
            }
            consumer.Unassign();
        }
        return result;
    }

    private static IConsumer<byte[]?, byte[]?> Reader(KafkaCluster edge)
    {
        var config = edge.ConsumerConfig("iott-vendor-resume", "iott-vendor-resume");
        config.GroupId = "iott-vendor-resume-" + Guid.NewGuid().ToString("N"); // assign-only: never joins or commits
        return KafkaClients.Consumer<byte[]?, byte[]?>(config, null, "vendor resume reader").Build();
    }
}
