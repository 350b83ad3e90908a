using System.Globalization;
using IotTelemetry.Edge.Validation;
using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests.Input;

/// <summary>Retained messages, which the broker replays at every (re)subscription, through the real agent and mosquitto.</summary>
public sealed class RetainedMessageTests : AgentUnderTest
{
    private async Task PublishRetainedAsync(long deviceMillis)
    {
        await MosquittoClients.PublishAsync(Broker, "plants/plant-t/pump-01/temperature", "{\"value\":5}", retain: true);
        await MosquittoClients.PublishAsync(Broker, "plants/plant-t/pump-01/pressure",
            $"{{\"value\":6,\"ts\":{deviceMillis.ToString(CultureInfo.InvariantCulture)}}}", retain: true);
    }

    // MQTT 5: the agent subscribes with Retain Handling 2 and the broker sends no retained message at all;
    // MQTT 3.1.1 has no such option: the broker replays them and the agent acknowledges them unread.
    [Theory]
    [InlineData("3.1.1")]
    [InlineData("5.0")]
    public async Task By_default_retained_messages_are_not_ingested_at_start_nor_after_a_restart(string version)
    {
        await PublishRetainedAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using var telemetry = Telemetry();
        using var deadLetters = DeadLetters();
        for (var run = 0; run < 2; run++)
        {
            var (agent, metrics) = await StartAsync(("Mqtt:ProtocolVersion", version));
            await using var _ = agent;
            await MosquittoClients.PublishAsync(Broker, "plants/plant-t/pump-01/temperature", $"{{\"value\":{70 + run}}}");
            await telemetry.WaitForCountAsync(run + 1);
            // the live message came after whatever the broker replayed at the subscription
            Assert.Equal(version == "3.1.1" ? 2 : 0, await metrics.GetAsync("iott_edge_mqtt_retained_ignored_total"));
        }
        deadLetters.Poll(TimeSpan.FromSeconds(1));
        Assert.Equal([70.0, 71.0], telemetry.Records.Select(r => Decode(r).Value)); // only the live messages
        Assert.Empty(deadLetters.Records);
    }

    [Fact]
    public async Task With_WithTimestamp_a_retained_reading_is_ingested_only_when_it_carries_its_own_timestamp()
    {
        var deviceMillis = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds();
        await PublishRetainedAsync(deviceMillis);
        using var telemetry = Telemetry();
        using var deadLetters = DeadLetters();
        var (agent, _) = await StartAsync(("Mqtt:Retained", "WithTimestamp"));
        await using var __ = agent;

        await telemetry.WaitForCountAsync(1);
        await deadLetters.WaitForCountAsync(1);
        var reading = Decode(Assert.Single(telemetry.Records));
        Assert.Equal(("pressure", 6.0, deviceMillis * 1000), (reading.Sensor, reading.Value, reading.TimestampMicros));
        var dead = Assert.Single(deadLetters.Records);
        Assert.Equal(RejectReason.RetainedWithoutTimestamp, Reason(dead));
        Assert.Equal("plants/plant-t/pump-01/temperature", System.Text.Encoding.UTF8.GetString(dead.Message.Key!));
    }
}
