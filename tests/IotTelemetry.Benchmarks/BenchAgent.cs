using System.Globalization;
using IotTelemetry.Common.Kafka;
using IotTelemetry.TestKit;

namespace IotTelemetry.Benchmarks;

/// <summary>The edge agent as the pipeline benchmarks run it: site <c>bench</c>, its own edge and cloud mock clusters, one broker.</summary>
internal sealed class BenchAgent : IDisposable
{
    public BenchAgent(MosquittoBroker broker, int partitions)
    {
        EdgeKafka.CreateTopic("telemetry", partitions);
        EdgeKafka.CreateTopic("telemetry.deadletter", 1);
        CloudKafka.CreateTopic("telemetry", partitions);
        Url = $"http://127.0.0.1:{FreePort.Next()}";
        Settings = new Dictionary<string, string>
        {
            ["Edge:Site"] = "bench", ["Edge:Urls"] = Url, ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Kafka:Edge:BootstrapServers"] = EdgeKafka.BootstrapServers, ["Kafka:Cloud:BootstrapServers"] = CloudKafka.BootstrapServers,
            ["Logging:LogLevel:Default"] = "Warning",
        };
    }

    public MockCluster EdgeKafka { get; } = new();
    public MockCluster CloudKafka { get; } = new();

    /// <summary>The agent's metrics endpoint.</summary>
    public string Url { get; }

    /// <summary>The agent's settings; add to them before <see cref="Start"/>.</summary>
    public Dictionary<string, string> Settings { get; }

    public ExternalProcess Start(IDictionary<string, string?>? environment = null) => Programs.Start(Programs.EdgeDll, Settings, environment);

    public void Dispose()
    {
        EdgeKafka.Dispose();
        CloudKafka.Dispose();
    }
}
