using System.Text;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Validation;
using IotTelemetry.Simulator;
using IotTelemetry.TestKit;
using MQTTnet.Protocol;

namespace IotTelemetry.Edge.Tests;

/// <summary>The edge agent as deployed: its own process, a real mosquitto, a Kafka (mock) cluster.</summary>
public sealed class EdgeAgentTests : IAsyncLifetime
{
    private readonly MockCluster _edge = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _edge.CreateTopic("telemetry", 3);
        _edge.CreateTopic("telemetry.deadletter", 1);
        _broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true });
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _edge.Dispose();
    }

    private (ExternalProcess Process, HostMetrics Metrics) StartAgent(params (string Key, string Value)[] extra)
    {
        var (url, settings) = Input.AgentUnderTest.Settings(_broker, _edge.BootstrapServers, extra);
        return (Programs.Start(Programs.EdgeDll, settings), new HostMetrics(url));
    }

    [Fact]
    public async Task Readings_published_by_another_mqtt_client_reach_the_edge_topic_exactly()
    {
        var (agent, metrics) = StartAgent();
        await using var _ = agent;
        await metrics.WaitForAsync("iott_edge_mqtt_connected", 1);
        using var topic = new KafkaProbe(_edge.BootstrapServers, "telemetry", 3);

        await MosquittoClients.PublishAsync(_broker, "plants/plant-t/pump-01/temperature",
            """{"ts":"2026-11-21T08:00:00.123456Z","value":65.125,"unit":"degC","quality":"good"}""");
        await MosquittoClients.PublishAsync(_broker, "plants/plant-t/pump-01",
            """{"ts":1795248000000,"readings":[{"sensor":"vibration","value":2.5,"unit":"mm/s"},{"sensor":"current","value":14,"quality":"uncertain"}]}""");

        await topic.WaitForCountAsync(3);
        var readings = topic.Records.Select(r => ReadingCodec.Decode(r.Message.Value)).OrderBy(r => r.Sensor).ToList();
        Assert.Equal(["current", "temperature", "vibration"], readings.Select(r => r.Sensor));
        var t = readings[1];
        Assert.Equal(("plant-t", "pump-01", 65.125, "degC", Quality.Good), (t.Site, t.Asset, t.Value, t.Unit, t.Quality));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), t.Timestamp);
        Assert.Equal("mqtt:plants/plant-t/pump-01/temperature", t.Source);
        Assert.Equal(Quality.Uncertain, readings[0].Quality);
        Assert.Equal(1_795_248_000_000_000, readings[2].TimestampMicros);
        Assert.All(topic.Records, r => Assert.Equal(Encoding.UTF8.GetBytes(ReadingCodec.Decode(r.Message.Value).Key), r.Message.Key));
        // Each record names the mapping rule that made it (the lake's lineage records it per file).
        var rules = topic.Records.ToDictionary(r => ReadingCodec.Decode(r.Message.Value).Sensor, r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(LineageHeaders.Rule)));
        Assert.Equal(("plant-json-batch", "plant-json", "plant-json-batch"), (rules["current"], rules["temperature"], rules["vibration"]));
    }

    [Theory]
    [InlineData("plants/plant-t/pump-01/temperature", "{\"value\":", RejectReason.NotJson)]
    [InlineData("plants/plant-t/pump-01/temperature", "{\"value\":\"hot\"}", RejectReason.NonNumericValue)]
    [InlineData("plants/plant-t/pump-01/temperature", "{\"value\":\"NaN\"}", RejectReason.NonFiniteValue)]
    [InlineData("plants/plant-t/pump-01/temperature", "{\"value\":1,\"ts\":\"2099-01-01T00:00:00Z\"}", RejectReason.FutureTimestamp)]
    [InlineData("plants/plant-t/pump-01/temperature", "{\"value\":1,\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}", RejectReason.PayloadTooLarge)]
    [InlineData("plants/plant-t/pump-01/temperature", "{\"temp\":1}", RejectReason.MissingValue)]
    public async Task Bad_input_goes_to_the_dead_letter_topic_with_its_reason_and_the_agent_keeps_running(string topic, string payload, string reason)
    {
        var (agent, metrics) = StartAgent(("Validation:MaxPayloadBytes", "64"));
        await using var _ = agent;
        await metrics.WaitForAsync("iott_edge_mqtt_connected", 1);
        using var deadLetters = new KafkaProbe(_edge.BootstrapServers, "telemetry.deadletter", 1);
        using var telemetry = new KafkaProbe(_edge.BootstrapServers, "telemetry", 3);

        await MosquittoClients.PublishAsync(_broker, topic, payload);
        await MosquittoClients.PublishAsync(_broker, "plants/plant-t/pump-01/temperature", "{\"value\":42}");

        await deadLetters.WaitForCountAsync(1);
        var dead = Assert.Single(deadLetters.Records);
        Assert.Equal(Encoding.UTF8.GetBytes(payload), dead.Message.Value); // the original bytes, unchanged
        Assert.Equal(topic, Encoding.UTF8.GetString(dead.Message.Key!));
        Assert.Equal(reason, Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(DeadLetterHeaders.Reason)));
        Assert.False(string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(DeadLetterHeaders.Detail))));
        Assert.Equal("mqtt:" + topic, Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(DeadLetterHeaders.Source)));
        Assert.Equal(1, await metrics.GetAsync("iott_edge_dead_letters_total", $"reason=\"{reason}\""));

        await telemetry.WaitForCountAsync(1); // the good message after it still flows
        Assert.Equal(42, ReadingCodec.Decode(Assert.Single(telemetry.Records).Message.Value).Value);
        Assert.False(agent.HasExited);
    }

    [Fact]
    public async Task A_crash_before_the_edge_cluster_acknowledged_loses_nothing()
    {
        var (agent, metrics) = StartAgent();
        await metrics.WaitForAsync("iott_edge_mqtt_connected", 1);
        _edge.SetAllDown(); // the plant's Kafka is unreachable: nothing can be acknowledged

        await using (var plant = await PlantMqttClient.ConnectAsync(_broker.Host, _broker.Port, "plant", CancellationToken.None))
        {
            for (var i = 0; i < 200; i++)
                await plant.PublishAsync("plants/plant-t/pump-02/pressure", Encoding.UTF8.GetBytes($"{{\"value\":{i},\"ts\":{1795248000000 + i}}}"),
                    MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken.None);
        }
        await metrics.WaitForAsync("iott_edge_messages_received_total", 200 / 2); // the agent holds them, unacknowledged
        agent.Kill();
        await agent.DisposeAsync();
        _edge.SetAllUp();

        var (restarted, _) = StartAgent();
        await using var __ = restarted;
        using var telemetry = new KafkaProbe(_edge.BootstrapServers, "telemetry", 3);
        await telemetry.WaitForCountAsync(200, TimeSpan.FromSeconds(60));
        var values = telemetry.Records.Select(r => ReadingCodec.Decode(r.Message.Value).Value).OrderBy(v => v).ToList();
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (double)i), values.Distinct());
        Assert.Equal(values.Distinct().Count(), values.Count); // and none twice: nothing had been written before the crash
    }

    [Fact]
    public async Task A_bad_configuration_stops_start_up_with_a_message_naming_the_key()
    {
        await using var agent = Programs.Start(Programs.EdgeDll, new Dictionary<string, string>
        {
            ["Edge:Site"] = "plant-t",
            ["Mqtt:Port"] = "70000",
            ["Kafka:Edge:BootstrapServers"] = "kafka-without-port",
            ["Mapping:Rules:0:Topic"] = "plants/{plant}/x",
        });
        Assert.Equal(2, await agent.WaitForExitAsync());
        Assert.Contains("Mqtt:Port: expected a number from 1 to 65535, got 70000", agent.Output);
        Assert.Contains("Kafka:Edge:BootstrapServers: expected host:port[,host:port...] or 'embedded', got 'kafka-without-port'", agent.Output);
        Assert.Contains("Mapping:Rules:0:Topic: expected captures named {site}, {asset} or {sensor}", agent.Output);
        Assert.DoesNotContain("   at ", agent.Output); // a message, not a stack trace
    }
}
