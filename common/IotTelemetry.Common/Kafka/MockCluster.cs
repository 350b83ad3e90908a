using System.Runtime.InteropServices;
using IotTelemetry.Common.Kafka.Internal;

namespace IotTelemetry.Common.Kafka;

/// <summary>
/// librdkafka's built-in mock cluster: the Kafka protocol on 127.0.0.1, in this process, in memory.
/// For development, demos and tests only: it keeps about 5 MiB per partition and forgets everything when
/// the process ends. Real deployments give real bootstrap servers.
/// </summary>
public sealed class MockCluster : IDisposable
{
    private IntPtr _handle;
    private IntPtr _cluster;

    public MockCluster(int brokerCount = 1)
    {
        var err = new byte[512];
        var conf = LibRdKafka.ConfNew();
        // The handle only hosts the cluster; keep its own logging quiet.
        LibRdKafka.ConfSet(conf, "log_level", "3", err, (nuint)err.Length);
        _handle = LibRdKafka.New(LibRdKafka.ProducerType, conf, err, (nuint)err.Length);
        if (_handle == IntPtr.Zero)
            throw new InvalidOperationException("librdkafka could not create a handle for the mock cluster: " + LibRdKafka.ErrorText(err));
        _cluster = LibRdKafka.MockClusterNew(_handle, brokerCount);
        if (_cluster == IntPtr.Zero)
        {
            LibRdKafka.Destroy(_handle);
            throw new InvalidOperationException("librdkafka could not start a mock cluster");
        }
        BootstrapServers = Marshal.PtrToStringUTF8(LibRdKafka.MockClusterBootstraps(_cluster))
            ?? throw new InvalidOperationException("mock cluster has no bootstrap address");
        BrokerCount = brokerCount;
    }

    /// <summary>host:port,... of the mock brokers on 127.0.0.1.</summary>
    public string BootstrapServers { get; }

    public int BrokerCount { get; }

    /// <summary>Creates a topic (the mock cluster has no working CreateTopics admin call).</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        var rc = LibRdKafka.MockTopicCreate(Cluster, topic, partitions, Math.Min(replicationFactor, BrokerCount));
        if (rc != 0) throw new InvalidOperationException($"mock cluster could not create topic '{topic}': {LibRdKafka.Describe(rc)}");
    }

    /// <summary>Takes a broker down (clients see it as unreachable) to simulate an outage.</summary>
    public void SetBrokerDown(int brokerId) => Check(LibRdKafka.MockBrokerSetDown(Cluster, brokerId), "set broker down");

    public void SetBrokerUp(int brokerId) => Check(LibRdKafka.MockBrokerSetUp(Cluster, brokerId), "set broker up");

    /// <summary>All brokers down: the cluster is unreachable, as in an uplink outage.</summary>
    public void SetAllDown() { for (var id = 1; id <= BrokerCount; id++) SetBrokerDown(id); }

    public void SetAllUp() { for (var id = 1; id <= BrokerCount; id++) SetBrokerUp(id); }

    private IntPtr Cluster => _cluster != IntPtr.Zero ? _cluster : throw new ObjectDisposedException(nameof(MockCluster));

    private static void Check(int rc, string what)
    {
        if (rc != 0) throw new InvalidOperationException($"mock cluster could not {what}: {LibRdKafka.Describe(rc)}");
    }

    /// <summary>Destroy after every client of the cluster is closed.</summary>
    public void Dispose()
    {
        if (_cluster != IntPtr.Zero) { LibRdKafka.MockClusterDestroy(_cluster); _cluster = IntPtr.Zero; }
        if (_handle != IntPtr.Zero) { LibRdKafka.Destroy(_handle); _handle = IntPtr.Zero; }
    }
}
