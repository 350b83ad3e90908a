using IotTelemetry.Common.Kafka;
using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests;

/// <summary>
/// What the Sparkplug tests run against: a real mosquitto, librdkafka's mock cluster as the edge cluster, the agent's
/// own process, and Eclipse Tahu's JavaScript library (npm sparkplug-payload) to encode payloads. The broker is shared by
/// the tests of a class (<see cref="MosquittoFixture"/>): each test's agent has its own client id, each host test its own
/// host id (so its retained STATE); the edge cluster is each test's own.
/// </summary>
public abstract class SparkplugPeers(MosquittoFixture mosquitto) : IAsyncLifetime
{
    private readonly string _clientId = mosquitto.Unique("iott-edge-plant-spb");

    protected MockCluster Edge { get; } = new();
    protected MosquittoBroker Broker => mosquitto.Broker;

    public Task InitializeAsync()
    {
        Edge.CreateTopic("telemetry", 2);
        Edge.CreateTopic("telemetry.deadletter", 1);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Edge.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Starts the edge agent on <see cref="Broker"/> and <see cref="Edge"/> (site plant-spb, no mirror) with <paramref name="extra"/> settings.</summary>
    protected (ExternalProcess Agent, HostMetrics Metrics) StartAgent(params (string Key, string Value)[] extra)
    {
        var (url, settings) = Input.AgentUnderTest.Settings(Broker, Edge.BootstrapServers,
            [("Edge:Site", "plant-spb"), ("Mqtt:ClientId", _clientId), .. extra]);
        return (Programs.Start(Programs.EdgeDll, settings), new HostMetrics(url));
    }

    /// <summary>Encodes a Sparkplug B payload given as JSON with the Tahu library in node.</summary>
    internal static async Task<byte[]> EncodeAsync(string json)
    {
        var script = Path.Combine(RepoPaths.NodePeers, "sparkplug-encode.mjs");
        var input = Path.Combine(RepoPaths.NewTempDirectory("spb"), "payload.json");
        await File.WriteAllTextAsync(input, json);
        await using var node = ExternalProcess.Start("bash", ["-c", $"node '{script}' < '{input}'"], RepoPaths.NodePeers);
        Assert.True(await node.WaitForExitAsync() == 0, "sparkplug-payload failed (is tests/node installed?): " + node.Output);
        return Convert.FromHexString(node.Lines.Single());
    }
}
