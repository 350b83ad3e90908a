using System.Text;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests.Input;

/// <summary>
/// Base of the tests of the agent's MQTT input: a real mosquitto and an edge Kafka (mock) cluster per test, the edge
/// agent started against them as its own process (MQTT ingest only, mirror off), probes on its telemetry and
/// dead-letter topics.
/// </summary>
public abstract class AgentUnderTest : IAsyncLifetime
{
    public MockCluster Edge { get; } = new();
    public MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Edge.CreateTopic("telemetry", 3);
        Edge.CreateTopic("telemetry.deadletter", 1);
        Broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true });
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        Edge.Dispose();
    }

    /// <summary>Starts the agent (client id <c>edge-under-test</c>, site <c>plant-t</c>) and waits until it is connected to the broker.</summary>
    public async Task<(ExternalProcess Process, HostMetrics Metrics)> StartAsync(params (string Key, string Value)[] extra)
    {
        var (url, settings) = Settings(Broker, Edge.BootstrapServers, extra);
        var process = Programs.Start(Programs.EdgeDll, settings);
        var metrics = new HostMetrics(url);
        try
        {
            await Wait.UntilAsync(async () => process.HasExited || await metrics.GetAsync("iott_edge_mqtt_connected") >= 1,
                "the agent connected to mosquitto", TimeSpan.FromSeconds(60));
            if (process.HasExited) throw new InvalidOperationException("the agent exited at start-up: " + process.Output);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
        return (process, metrics);
    }

    /// <summary>
    /// The agent's settings for MQTT ingest from <paramref name="broker"/> into <paramref name="edgeBootstrap"/> (client id
    /// <c>edge-under-test</c>, site <c>plant-t</c>, mirror off), /metrics on a free loopback port, then <paramref name="extra"/>.
    /// </summary>
    public static (string Url, Dictionary<string, string> Settings) Settings(MosquittoBroker broker, string edgeBootstrap,
        params (string Key, string Value)[] extra)
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var settings = new Dictionary<string, string>
        {
            ["Edge:Site"] = "plant-t",
            ["Edge:Urls"] = url,
            ["Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = "edge-under-test",
            ["Kafka:Edge:BootstrapServers"] = edgeBootstrap,
            ["Mirror:Enabled"] = "false",
        };
        foreach (var (k, v) in extra) settings[k] = v;
        return (url, settings);
    }

    public KafkaProbe Telemetry() => new(Edge.BootstrapServers, "telemetry", 3);

    public KafkaProbe DeadLetters() => new(Edge.BootstrapServers, "telemetry.deadletter", 1);

    public static Reading Decode(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> record) => ReadingCodec.Decode(record.Message.Value);

    public static string Header(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";

    public static string Reason(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> record) => Header(record, DeadLetterHeaders.Reason);
}
