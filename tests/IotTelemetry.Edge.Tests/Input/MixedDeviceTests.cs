using System.Globalization;
using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests.Input;

/// <summary>
/// A plant whose devices send different payload shapes under one topic layout, configured with a --config file the way
/// the README shows, through the real agent and mosquitto.
/// </summary>
public sealed class MixedDeviceTests : AgentUnderTest
{
    /// <summary>The README's mixed-device example (section "A plant with mixed devices").</summary>
    private const string Config = """
        {
          "Mapping": {
            "Rules": [
              {
                "Name": "gateway",
                "Topic": "line/{asset}/data",
                "When": "$.data",
                "Shapes": [
                  { "Name": "temp", "ValuePath": "$.data.temp", "TimestampPath": "$.data.ts", "Sensor": "temperature", "Unit": "degC" }
                ]
              },
              {
                "Name": "devices",
                "Topic": "line/{asset}/{sensor}",
                "Shapes": [
                  { "Name": "bare", "ValuePath": "$" },
                  { "Name": "value-ts", "ValuePath": "$.value", "TimestampPath": "$.ts" },
                  { "Name": "v-timestamp", "ValuePath": "$.v", "TimestampPath": "$.timestamp", "TimestampUnit": "s" }
                ]
              },
              { "Name": "legacy", "Topic": "legacy/{asset}/{sensor=temp}", "ValuePath": "$", "Unit": "degC" }
            ]
          }
        }
        """;

    [Fact]
    public async Task Every_shape_under_one_topic_layout_becomes_a_reading_that_names_its_shape_and_the_default_rules_are_replaced()
    {
        var dir = RepoPaths.NewTempDirectory("mixed-devices");
        var file = Path.Combine(dir, "edge.json");
        await File.WriteAllTextAsync(file, Config);
        var (agent, _) = await StartAsync(("config", file));
        await using var _ = agent;
        using var telemetry = Telemetry();
        using var deadLetters = DeadLetters();
        var t = DateTimeOffset.UtcNow.AddMinutes(-1);
        var ms = t.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var s = t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        await MosquittoClients.PublishAsync(Broker, "line/press-1/pressure", "21.5");
        await MosquittoClients.PublishAsync(Broker, "line/press-1/current", $"{{\"value\":14.2,\"ts\":{ms}}}");
        await MosquittoClients.PublishAsync(Broker, "line/press-2/current", $"{{\"v\":13.9,\"timestamp\":{s}}}");
        await MosquittoClients.PublishAsync(Broker, "line/oven-1/data", $"{{\"data\":{{\"temp\":180.5,\"ts\":{ms}}}}}");
        await MosquittoClients.PublishAsync(Broker, "legacy/oven-2/temp", "175");

        await telemetry.WaitForCountAsync(5);
        var readings = telemetry.Records.Select(Decode).ToDictionary(r => r.Asset + "/" + r.Sensor);
        Assert.Equal(21.5, readings["press-1/pressure"].Value);
        Assert.Equal("mqtt:line/press-1/pressure#devices/bare", readings["press-1/pressure"].Source);
        Assert.Equal((14.2, t.ToUnixTimeMilliseconds() * 1000), (readings["press-1/current"].Value, readings["press-1/current"].TimestampMicros));
        Assert.Equal("mqtt:line/press-1/current#devices/value-ts", readings["press-1/current"].Source);
        Assert.Equal((13.9, t.ToUnixTimeSeconds() * 1_000_000), (readings["press-2/current"].Value, readings["press-2/current"].TimestampMicros));
        Assert.Equal("mqtt:line/press-2/current#devices/v-timestamp", readings["press-2/current"].Source);
        Assert.Equal((180.5, "degC", "mqtt:line/oven-1/data#gateway/temp"),
            (readings["oven-1/temperature"].Value, readings["oven-1/temperature"].Unit, readings["oven-1/temperature"].Source));
        Assert.Equal((175.0, "degC"), (readings["oven-2/temp"].Value, readings["oven-2/temp"].Unit));
        // The --config file's rules replaced the default file's: rule 1 inherited no ReadingsPath from the default rule 1
        // (the readings above prove it), and the default topics are not subscribed to any more.
        Assert.Contains("subscribed to line/+/+, legacy/+/temp", agent.Output);
        Assert.DoesNotContain("plants/", agent.Output);
        deadLetters.Poll(TimeSpan.FromSeconds(1));
        Assert.Empty(deadLetters.Records);
    }
}
