using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests.Input;

/// <summary>The three size limits are checked against each other at start-up, with messages naming the key.</summary>
public sealed class SizeLimitConfigurationTests
{
    private static async Task<string> RefusedAsync(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string> { ["Edge:Site"] = "plant-t", ["Kafka:Edge:BootstrapServers"] = "127.0.0.1:9" };
        foreach (var (k, v) in settings) all[k] = v;
        await using var agent = Programs.Start(Programs.EdgeDll, all);
        Assert.Equal(2, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.DoesNotContain("   at ", agent.Output);
        return agent.Output;
    }

    [Fact]
    public async Task A_payload_limit_above_the_kafka_message_limit_is_refused()
    {
        var output = await RefusedAsync(("Validation:MaxPayloadBytes", "2000000"), ("Mqtt:MaximumPacketSize", "4000000"));
        Assert.Contains("Validation:MaxPayloadBytes: expected 1 to Kafka:Edge:MessageMaxBytes - 16384 = 983616 bytes", output);
        Assert.Contains("got 2000000", output);
    }

    [Fact]
    public async Task An_mqtt_packet_limit_that_would_let_the_broker_drop_payloads_within_the_limit_is_refused()
    {
        var output = await RefusedAsync(("Validation:MaxPayloadBytes", "900000"), ("Mqtt:MaximumPacketSize", "917504"));
        Assert.Contains("Mqtt:MaximumPacketSize: expected at least Validation:MaxPayloadBytes + 65536 = 965536 bytes", output);
    }

    [Fact]
    public async Task Raising_the_kafka_message_limit_raises_the_payload_limit_it_allows()
    {
        var output = await RefusedAsync(("Validation:MaxPayloadBytes", "2000000"), ("Mqtt:MaximumPacketSize", "4000000"),
            ("Kafka:Edge:MessageMaxBytes", "4000000"), ("Mqtt:Retained", "Sometimes"));
        Assert.DoesNotContain("Validation:MaxPayloadBytes", output);
        Assert.Contains("Mqtt:Retained: expected Ignore, WithTimestamp or Accept, got 'Sometimes'", output); // the only problem left
    }
}
