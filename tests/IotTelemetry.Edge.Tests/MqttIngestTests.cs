using System.Text;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Simulator;
using IotTelemetry.TestKit;
using MQTTnet.Protocol;

namespace IotTelemetry.Edge.Tests;

/// <summary>
/// What the README promises of the agent's MQTT ingest (MQTTnet), checked on the agent's own process against a real
/// mosquitto: manual acknowledgement after Kafka, the persistent session across kill -9, both protocol versions,
/// credentials, reconnects and re-subscription, the receive maximum, and refusals in words.
/// </summary>
public sealed class MqttIngestTests : IAsyncLifetime
{
    private const string Topic = "plants/plant-t/pump-02/pressure";
    private readonly MockCluster _edge = new();

    public Task InitializeAsync()
    {
        _edge.CreateTopic("telemetry", 3);
        _edge.CreateTopic("telemetry.deadletter", 1);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _edge.Dispose();
        return Task.CompletedTask;
    }

    private (ExternalProcess Process, HostMetrics Metrics) StartAgent(MosquittoBroker broker, string version, params (string Key, string Value)[] extra) =>
        StartAgent(broker, version, withholdAcks: false, extra);

    /// <param name="withholdAcks">Fault injection: the agent writes to Kafka but never sends a PUBACK/PUBREC (IOTT_FAULT_WITHHOLD_MQTT_ACKS).</param>
    private (ExternalProcess Process, HostMetrics Metrics) StartAgent(MosquittoBroker broker, string version, bool withholdAcks, params (string Key, string Value)[] extra)
    {
        var (url, settings) = Input.AgentUnderTest.Settings(broker, _edge.BootstrapServers,
            [("Mqtt:ProtocolVersion", version), ("Mqtt:ReconnectMinDelay", "00:00:00.100"), ("Mqtt:ReconnectMaxDelay", "00:00:01"), .. extra]);
        var environment = withholdAcks ? new Dictionary<string, string?> { ["IOTT_FAULT_WITHHOLD_MQTT_ACKS"] = "1" } : null;
        return (Programs.Start(Programs.EdgeDll, settings, environment), new HostMetrics(url));
    }

    private static byte[] Reading(int i) => Encoding.UTF8.GetBytes($"{{\"value\":{i},\"ts\":{1795248000000 + i}}}");

    private static async Task PublishAsync(MosquittoBroker broker, int from, int count, MqttQualityOfServiceLevel qos)
    {
        await using var plant = await PlantMqttClient.ConnectAsync(broker.Host, broker.Port, "plant-" + from, CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(from, count).Select(i => plant.PublishAsync(Topic, Reading(i), qos, CancellationToken.None)));
    }

    private static List<double> Values(KafkaProbe topic) => topic.Records.Select(r => ReadingCodec.Decode(r.Message.Value).Value).ToList();

    [Theory]
    [InlineData("3.1.1", 1)]
    [InlineData("3.1.1", 2)]
    [InlineData("5.0", 1)]
    [InlineData("5.0", 2)]
    public async Task After_kill_9_exactly_the_messages_kafka_had_not_acknowledged_are_redelivered(string version, int qos)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true });
        var level = (MqttQualityOfServiceLevel)qos;
        var (agent, metrics) = StartAgent(broker, version, ("Mqtt:Qos", qos.ToString()));
        await metrics.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(60));
        using var telemetry = new KafkaProbe(_edge.BootstrapServers, "telemetry", 3);

        // Acknowledged by Kafka, hence by the agent to the broker: these must not come again.
        await PublishAsync(broker, 0, 30, level);
        await telemetry.WaitForCountAsync(30);
        await metrics.WaitForAsync("iott_edge_readings_total", 30);

        // Held by the agent, unacknowledged: the edge cluster is unreachable.
        _edge.SetAllDown();
        await PublishAsync(broker, 30, 30, level);
        // mosquitto sends a 3.1.1 client 20 unacknowledged messages at most (max_inflight_messages); MQTT 5 uses the agent's receive maximum
        await metrics.WaitForAsync("iott_edge_messages_received_total", 30 + (version == "3.1.1" ? 20 : 30));
        agent.Kill();
        await agent.DisposeAsync();
        _edge.SetAllUp();

        var (restarted, again) = StartAgent(broker, version, ("Mqtt:Qos", qos.ToString()));
        await using var _ = restarted;
        // A fresh probe: one whose connection lived through the cluster's outage can stall mid-partition (seen once in 2.16's mock).
        using var after = new KafkaProbe(_edge.BootstrapServers, "telemetry", 3);
        await after.WaitForCountAsync(60, TimeSpan.FromSeconds(60));
        await again.WaitForAsync("iott_edge_readings_total", 30);
        after.Poll(TimeSpan.FromSeconds(1));
        var values = Values(after).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (double)i), values); // all of them, none twice
        Assert.Equal(30, await again.GetAsync("iott_edge_messages_received_total")); // only the 30 unacknowledged came again
    }

    [Theory]
    [InlineData("3.1.1", 1)]
    [InlineData("3.1.1", 2)]
    [InlineData("5.0", 1)]
    [InlineData("5.0", 2)]
    public async Task After_kill_9_between_the_kafka_ack_and_the_puback_the_redelivered_messages_are_not_written_again(string version, int qos)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true });
        var level = (MqttQualityOfServiceLevel)qos;
        var inFlight = version == "3.1.1" ? 20 : 30; // mosquitto's max_inflight_messages for 3.1.1; the agent's receive maximum for 5.0
        var (agent, metrics) = StartAgent(broker, version, withholdAcks: true, ("Mqtt:Qos", qos.ToString()));
        await metrics.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(60));

        // Every reading is acknowledged by Kafka, none of the messages by the agent: the crash lands between the two.
        await PublishAsync(broker, 0, 30, level);
        await metrics.WaitForAsync("iott_edge_readings_total", inFlight);
        agent.Kill();
        await agent.DisposeAsync();

        var (restarted, again) = StartAgent(broker, version, ("Mqtt:Qos", qos.ToString()));
        await using var _ = restarted;
        // The broker redelivers all 30 (the first ones flagged DUP), the agent finds the written ones in the topic's tail.
        await again.WaitForAsync("iott_edge_messages_received_total", 30, TimeSpan.FromSeconds(60));
        await again.WaitForAsync("iott_edge_duplicates_skipped_total", inFlight, TimeSpan.FromSeconds(30));
        await again.WaitForAsync("iott_edge_readings_total", 30 - inFlight);
        // Acknowledged this time: a third start gets nothing again.
        await restarted.DisposeAsync();
        var (third, quiet) = StartAgent(broker, version, ("Mqtt:Qos", qos.ToString()));
        await using var __ = third;
        await quiet.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(60));

        // Read by an independent consumer: every reading once.
        using var telemetry = new KafkaProbe(_edge.BootstrapServers, "telemetry", 3);
        await telemetry.WaitForCountAsync(30, TimeSpan.FromSeconds(30));
        telemetry.Poll(TimeSpan.FromSeconds(1));
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (double)i), Values(telemetry).Order());
        Assert.Equal(0, await quiet.GetAsync("iott_edge_messages_received_total"));
        Assert.Contains(third.Lines, l => l.Contains("Read back 30 readings", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redelivered_bad_message_is_dead_lettered_once()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true });
        var (agent, metrics) = StartAgent(broker, "5.0", withholdAcks: true);
        await metrics.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(60));
        await MosquittoClients.PublishAsync(broker, Topic, "{\"value\": not json", qos: 1);
        using var deadLetters = new KafkaProbe(_edge.BootstrapServers, "telemetry.deadletter", 1);
        await deadLetters.WaitForCountAsync(1);
        agent.Kill();
        await agent.DisposeAsync();

        var (restarted, again) = StartAgent(broker, "5.0");
        await using var _ = restarted;
        await again.WaitForAsync("iott_edge_messages_received_total", 1, TimeSpan.FromSeconds(60));
        await again.WaitForAsync("iott_edge_duplicates_skipped_total", 1, TimeSpan.FromSeconds(30));
        deadLetters.Poll(TimeSpan.FromSeconds(1));
        Assert.Single(deadLetters.Records);
    }

    [Fact]
    public async Task The_broker_sends_no_more_unacknowledged_messages_than_the_receive_maximum()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 1000 });
        var (agent, metrics) = StartAgent(broker, "5.0", ("Mqtt:ReceiveMaximum", "10"));
        await using var _ = agent;
        await metrics.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(60));
        _edge.SetAllDown();

        await PublishAsync(broker, 0, 40, MqttQualityOfServiceLevel.AtLeastOnce); // all 40 are the broker's now
        await metrics.WaitForAsync("iott_edge_messages_received_total", 10);
        await Assert.ThrowsAsync<TimeoutException>(() => metrics.WaitForAsync("iott_edge_messages_received_total", 11, TimeSpan.FromSeconds(3)));

        _edge.SetAllUp(); // acknowledgements open the window again
        using var telemetry = new KafkaProbe(_edge.BootstrapServers, "telemetry", 3);
        await telemetry.WaitForCountAsync(40, TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (double)i), Values(telemetry).Order());
    }

    [Theory]
    [InlineData("3.1.1", false)]
    [InlineData("5.0", false)]
    [InlineData("3.1.1", true)]
    [InlineData("5.0", true)]
    public async Task After_a_broker_restart_the_agent_reconnects_and_resubscribes_by_itself(string version, bool brokerKeptTheSession)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = brokerKeptTheSession });
        var (agent, metrics) = StartAgent(broker, version);
        await using var _ = agent;
        await metrics.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(60));
        using var telemetry = new KafkaProbe(_edge.BootstrapServers, "telemetry", 3);
        await MosquittoClients.PublishAsync(broker, Topic, Encoding.UTF8.GetString(Reading(1)));
        await telemetry.WaitForCountAsync(1);

        await broker.StopAsync(graceful: brokerKeptTheSession); // SIGKILL without persistence: the broker forgets the subscription
        await Wait.UntilAsync(async () => await metrics.GetAsync("iott_edge_mqtt_connected") == 0, "the agent noticing the broker is gone");
        await broker.StartAsync();
        await metrics.WaitForAsync("iott_edge_mqtt_reconnects_total", 1, TimeSpan.FromSeconds(30));
        await metrics.WaitForAsync("iott_edge_mqtt_connected", 1);

        await MosquittoClients.PublishAsync(broker, Topic, Encoding.UTF8.GetString(Reading(2)));
        await telemetry.WaitForCountAsync(2);
        Assert.Equal([1.0, 2.0], Values(telemetry).Order());
        // Subscribed on the first connection, and again only when the broker had lost the session.
        Assert.Equal(brokerKeptTheSession ? 1 : 2, agent.Lines.Count(l => l.Contains("MQTT ingest from", StringComparison.Ordinal)));
        Assert.Contains(brokerKeptTheSession ? "session present: True" : "session present: False", agent.Lines.Last(l => l.Contains("Connected to MQTT broker", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_unreachable_broker_at_start_up_is_retried_until_it_is_there()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await broker.StopAsync(graceful: false);
        var (agent, metrics) = StartAgent(broker, "5.0");
        await using var _ = agent;
        await agent.WaitForLineAsync("not reachable yet", TimeSpan.FromSeconds(60));
        Assert.False(agent.HasExited);

        await broker.StartAsync();
        await metrics.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(30));
        using var telemetry = new KafkaProbe(_edge.BootstrapServers, "telemetry", 3);
        await MosquittoClients.PublishAsync(broker, Topic, Encoding.UTF8.GetString(Reading(7)));
        await telemetry.WaitForCountAsync(1);
        Assert.Equal(7, Values(telemetry).Single());
    }

    [Theory]
    [InlineData("3.1.1")]
    [InlineData("5.0")]
    public async Task A_password_from_a_file_logs_in_and_a_wrong_one_stops_the_agent_with_a_message(string version)
    {
        const string password = "edge-file-pw-91c3";
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions
        {
            Users = new Dictionary<string, string> { ["edge"] = password, ["plant"] = "plant-pw" },
        });
        var good = Path.Combine(broker.Directory, "edge-password");
        var wrong = Path.Combine(broker.Directory, "wrong-password");
        await File.WriteAllTextAsync(good, password + "\n");
        await File.WriteAllTextAsync(wrong, password + "-not\n");

        var (agent, metrics) = StartAgent(broker, version, ("Mqtt:Username", "edge"), ("Mqtt:PasswordFile", good));
        await using (agent)
        {
            await metrics.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(60));
            using var telemetry = new KafkaProbe(_edge.BootstrapServers, "telemetry", 3);
            await MosquittoClients.PublishAsync(broker, Topic, Encoding.UTF8.GetString(Reading(5)), username: "plant", password: "plant-pw");
            await telemetry.WaitForCountAsync(1);
            Assert.Equal(5, Values(telemetry).Single());
        }

        var (refused, _) = StartAgent(broker, version, ("Mqtt:Username", "edge"), ("Mqtt:PasswordFile", wrong));
        await using var __ = refused;
        Assert.Equal(3, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        // mosquitto 2.0.11 answers a wrong password with "not authorized" (5 / 0x87), not "bad user name or password".
        Assert.Contains($"Stopping the edge agent: MQTT broker 127.0.0.1:{broker.Port} refused the connection: NotAuthorized (CONNACK 0x87)", refused.Output);
        Assert.DoesNotContain(password, refused.Output);
        Assert.DoesNotContain("   at ", refused.Output); // a message, not a stack trace
    }
}
