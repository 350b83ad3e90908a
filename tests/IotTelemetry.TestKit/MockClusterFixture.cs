using IotTelemetry.Common.Kafka;

namespace IotTelemetry.TestKit;

/// <summary>
/// One librdkafka mock cluster shared by the tests of a class (<c>IClassFixture&lt;MockClusterFixture&gt;</c>). Records
/// stay in a topic after its test, so a test that shares the cluster creates its own topics (<see cref="NewTopic"/>)
/// and gives the processes it starts its own consumer groups (<see cref="Unique"/>): a test then sees exactly what it wrote.
/// </summary>
public sealed class MockClusterFixture : IDisposable
{
    private int _next;

    public MockCluster Cluster { get; } = new();

    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary><paramref name="prefix"/> with a suffix no other test of this fixture gets: a consumer group, a client id.</summary>
    public string Unique(string prefix) => $"{prefix}-{Interlocked.Increment(ref _next)}";

    /// <summary>Creates a topic of <paramref name="partitions"/> partitions named <paramref name="name"/> plus a unique suffix; returns its name.</summary>
    public string NewTopic(string name, int partitions)
    {
        var topic = Unique(name);
        Cluster.CreateTopic(topic, partitions);
        return topic;
    }

    public void Dispose() => Cluster.Dispose();
}
