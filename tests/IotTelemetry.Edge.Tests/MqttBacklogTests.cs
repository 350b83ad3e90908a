using System.Text;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Simulator;
using IotTelemetry.TestKit;
using MQTTnet.Protocol;

namespace IotTelemetry.Edge.Tests;

/// <summary>
/// The soak's loss (issue #14): a backlog that mosquitto held for the persistent session while no agent was connected,
/// taken by an agent that is SIGKILLed in the middle of it and started again. Every reading the broker acknowledged
/// to the plant must reach the edge topic exactly once. Real mosquitto, the agent as its own process, mock edge cluster.
/// </summary>
public sealed class MqttBacklogTests : IAsyncLifetime
{
    private const int Assets = 20;
    private const int ReadingsPerMessage = 5;
    private readonly MockCluster _edge = new();

    public Task InitializeAsync()
    {
        _edge.CreateTopic("telemetry", 6);
        _edge.CreateTopic("telemetry.deadletter", 1);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _edge.Dispose();
        return Task.CompletedTask;
    }

    /// <param name="withholdAcks">The agent writes to Kafka but never acknowledges (IOTT_FAULT_WITHHOLD_MQTT_ACKS): the broker
    /// stops at its in-flight limit, so a kill is certain to land in the middle of a backlog on any machine.</param>
    private (ExternalProcess Process, HostMetrics Metrics) StartAgent(MosquittoBroker broker, bool withholdAcks = false)
    {
        var (url, settings) = Input.AgentUnderTest.Settings(broker, _edge.BootstrapServers,
            ("Mqtt:ReconnectMinDelay", "00:00:00.100"), ("Mqtt:ReconnectMaxDelay", "00:00:01"));
        var environment = withholdAcks ? new Dictionary<string, string?> { ["IOTT_FAULT_WITHHOLD_MQTT_ACKS"] = "1" } : null;
        return (Programs.Start(Programs.EdgeDll, settings, environment), new HostMetrics(url));
    }

    /// <summary>Message <paramref name="m"/>, in the soak's shape (the default batch rule): asset m % Assets, five sensors, values m*5+s.</summary>
    private static (string Topic, byte[] Payload) Message(int m)
    {
        var readings = string.Join(",", Enumerable.Range(0, ReadingsPerMessage)
            .Select(s => $"{{\"sensor\":\"s{s}\",\"value\":{m * ReadingsPerMessage + s},\"ts\":{1795248000000L + m}}}"));
        return ($"plants/plant-t/a-{m % Assets:D2}", Encoding.UTF8.GetBytes($"{{\"readings\":[{readings}]}}"));
    }

    private static async Task PublishBacklogAsync(MosquittoBroker broker, int count)
    {
        await using var plant = await PlantMqttClient.ConnectAsync(broker.Host, broker.Port, "plant-backlog", CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, count).Select(m =>
        {
            var (topic, payload) = Message(m);
            return plant.PublishAsync(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken.None);
        }));
    }

    [Fact]
    public async Task A_backlog_queued_while_no_agent_was_connected_arrives_once_although_the_agent_is_killed_in_the_middle_of_it()
    {
        const int messages = 6_000; // far more than mosquitto's default queue (1000) and the receive maximum (1000)
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true, MaxInflightMessages = 1000 });

        // The persistent session and its subscription, then no agent: mosquitto queues what the plant sends.
        var (first, firstMetrics) = StartAgent(broker);
        await using (first)
        {
            await firstMetrics.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(60));
            first.Kill();
        }
        await PublishBacklogAsync(broker, messages); // every one PUBACK'd by mosquitto

        // An agent takes the backlog and is killed in the middle of it: it writes what it gets and acknowledges none of
        // it, so the broker holds the rest back once 1,000 messages are in flight (a fast agent would otherwise take the
        // whole backlog before the kill lands). The third agent gets those 1,000 again and must not write them twice.
        var (second, secondMetrics) = StartAgent(broker, withholdAcks: true);
        await using (second)
        {
            await secondMetrics.WaitForAsync("iott_edge_readings_total", 1500, TimeSpan.FromSeconds(120)); // 300 of 6,000 messages
            second.Kill();
        }

        var (third, thirdMetrics) = StartAgent(broker);
        await using var _ = third;
        using var telemetry = new KafkaProbe(_edge.BootstrapServers, "telemetry", 6);
        var expected = messages * ReadingsPerMessage;
        try
        {
            await telemetry.WaitForCountAsync(expected, TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; mosquitto said: {Notices(broker)}", ex);
        }
        // The kill landed in the middle of the backlog: the third agent took the rest of it.
        await Wait.UntilAsync(async () => await thirdMetrics.GetAsync("iott_edge_messages_received_total") > 0, "the third agent receiving", TimeSpan.FromSeconds(30));
        telemetry.Poll(TimeSpan.FromSeconds(2));
        var values = telemetry.Records.Select(r => ReadingCodec.Decode(r.Message.Value).Value).Order().ToList();
        Assert.Equal(Enumerable.Range(0, expected).Select(i => (double)i), values); // every reading, none twice
        Assert.DoesNotContain("dropped", broker.Output, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// mosquitto 2.0.11 numbers a message for a client when it queues it, so a backlog of more than 65,535 messages holds
    /// two in flight with one packet identifier, and a PUBACK removes the first message of that identifier it holds,
    /// whichever the client meant. Here the older one (a fresh reading, not yet durable: the edge cluster is down) and a
    /// later one (a redelivery of a durable reading, acknowledged at once) share an identifier; the agent must not let
    /// the later PUBACK take the older message with it, or the kill that follows loses the fresh reading for good.
    /// </summary>
    [Fact]
    public async Task A_puback_for_a_reused_packet_identifier_never_releases_the_older_message_that_is_not_durable_yet()
    {
        const string topic = "plants/plant-t/pump-01/pressure";
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true, MaxInflightMessages = 1000 });
        var (agent, metrics) = StartAgent(broker);
        await using (agent)
        {
            await metrics.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(60));
            using var written = new KafkaProbe(_edge.BootstrapServers, "telemetry", 6);
            var durable = Encoding.UTF8.GetBytes("{\"value\":1,\"ts\":1795248000000}");
            await using var plant = await PlantMqttClient.ConnectAsync(broker.Host, broker.Port, "plant-reuse", CancellationToken.None);
            await plant.PublishAsync(topic, durable, MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken.None);
            await written.WaitForCountAsync(1);
            await metrics.WaitForAsync("iott_edge_messages_received_total", 1);

            _edge.SetAllDown(); // the fresh reading stays unacknowledged from here on
            await plant.PublishAsync(topic, Encoding.UTF8.GetBytes("{\"value\":2,\"ts\":1795248000001}"), MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken.None);
            // 65,535 more messages for the agent: the last ones get the fresh reading's packet identifier again.
            const int redeliveries = 65_535 + 200;
            await Task.WhenAll(Enumerable.Range(0, redeliveries).Select(_ => plant.PublishAsync(topic, durable, MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken.None)));
            await metrics.WaitForAsync("iott_edge_duplicates_skipped_total", redeliveries, TimeSpan.FromSeconds(180));
            agent.Kill();
        }
        _edge.SetAllUp();

        var (restarted, _) = StartAgent(broker);
        await using var __ = restarted;
        using var telemetry = new KafkaProbe(_edge.BootstrapServers, "telemetry", 6);
        await telemetry.WaitForCountAsync(2, TimeSpan.FromSeconds(90)); // the broker still holds the fresh reading and sends it again
        telemetry.Poll(TimeSpan.FromSeconds(2));
        Assert.Equal([1.0, 2.0], telemetry.Records.Select(r => ReadingCodec.Decode(r.Message.Value).Value).Order());
    }

    private static string Notices(MosquittoBroker broker) =>
        string.Join(" | ", broker.Output.Split('\n').Where(l => l.Contains("dropped", StringComparison.OrdinalIgnoreCase)).Take(5));
}
