using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;

namespace IotTelemetry.Edge.Vendors;

/// <summary>
/// The edge-only topic that keeps every version of a vendor policy (key = version, value = canonical JSON),
/// so that after a policy change the curator can finish what the previous version had started. It is never
/// mirrored: the policy names real sites and assets.
/// </summary>
public sealed class PolicyJournal(KafkaCluster edge, string topic)
{
    /// <summary>Records <paramref name="policy"/> unless its version is already there.</summary>
    public void Record(VendorPolicy policy, TimeSpan timeout, CancellationToken ct)
    {
        if (Find(policy.Version, timeout, ct) is not null) return;
        using var producer = KafkaClients.Producer<byte[], byte[]>(edge.ProducerConfig("iott-vendor-policy"), null, "vendor policy producer").Build();
        var task = producer.ProduceAsync(topic, new Message<byte[], byte[]>
        {
            Key = Encoding.UTF8.GetBytes(policy.Version),
            Value = Encoding.UTF8.GetBytes(policy.ToCanonicalJson()),
        }, ct);
        if (!task.Wait(timeout, ct))
            throw new TimeoutException($"recording policy {policy.Version} in edge topic '{topic}' took longer than {timeout.TotalSeconds:0} s");
    }

    /// <summary>The policy of version <paramref name="version"/>, or null when the journal does not have it.</summary>
    public VendorPolicy? Find(string version, TimeSpan timeout, CancellationToken ct)
    {
        VendorPolicy? found = null;
        foreach (var m in VendorTopicReader.ReadAll(edge, topic, timeout, ct))
            if (m.Key is not null && m.Value is not null && Encoding.UTF8.GetString(m.Key) == version)
                found = VendorPolicy.FromCanonicalJson(Encoding.UTF8.GetString(m.Value));
        return found;
    }
}
