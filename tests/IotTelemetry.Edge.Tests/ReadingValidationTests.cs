using System.Globalization;
using System.Text.Json;
using System.Text;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Json;
using IotTelemetry.Edge.OpcUa;
using IotTelemetry.Edge.Sparkplug;
using IotTelemetry.Edge.Validation;
using IotTelemetry.OpcUa;
using Microsoft.Extensions.Configuration;

namespace IotTelemetry.Edge.Tests;

/// <summary>
/// One rule set for every input: the same reading, sent as MQTT JSON, as a Sparkplug B metric (encoded by Eclipse Tahu)
/// and as an OPC UA data change, is accepted by all three or refused by all three with the same reason and the same
/// sentence (after the input's own prefix: the batch index, the metric, the node).
/// </summary>
public sealed class ReadingValidationTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly long Received = UnixMicros.FromDateTimeOffset(ReceivedAt);

    /// <summary>What one reading holds, before any input encodes it.</summary>
    /// <param name="ViaSparkplug">False for a unit rule: a Sparkplug metric carries no unit, so there is nothing to refuse.</param>
    public sealed record Sample(string Site, string Asset, string Sensor, DateTimeOffset Timestamp, double Value, string Unit, bool ViaSparkplug = true);

    private static Sample Good => new("plant-a", "pump-07", "vibration", ReceivedAt.AddSeconds(-1), 2.75, "mm/s");

    /// <summary>Every rule, with a reading that breaks it and the reason it must be dead-lettered with.</summary>
    private static readonly Dictionary<string, (Sample Sample, string Reason)> Cases = new()
    {
        ["a sensor with +"] = (Good with { Sensor = "temp+1" }, RejectReason.BadIdentifier),
        ["a sensor with #"] = (Good with { Sensor = "temp#1" }, RejectReason.BadIdentifier),
        ["a sensor with NUL"] = (Good with { Sensor = "temp\u00001" }, RejectReason.BadIdentifier),
        ["a site longer than Validation:MaxIdentifierLength"] = (Good with { Site = new string('s', 129) }, RejectReason.BadIdentifier),
        ["an asset of white space only"] = (Good with { Asset = "  " }, RejectReason.BadIdentifier),
        ["a timestamp before Validation:MinTimestamp"] = (Good with { Timestamp = new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero) }, RejectReason.BadTimestamp),
        ["a timestamp an hour ahead"] = (Good with { Timestamp = ReceivedAt.AddHours(1) }, RejectReason.FutureTimestamp),
        ["NaN"] = (Good with { Value = double.NaN }, RejectReason.NonFiniteValue),
        ["Infinity"] = (Good with { Value = double.PositiveInfinity }, RejectReason.NonFiniteValue),
        ["-Infinity"] = (Good with { Value = double.NegativeInfinity }, RejectReason.NonFiniteValue),
        ["a unit with a line break"] = (Good with { Unit = "mm/s\n", ViaSparkplug = false }, RejectReason.BadUnit),
        ["a unit longer than Validation:MaxIdentifierLength"] = (Good with { Unit = new string('u', 129), ViaSparkplug = false }, RejectReason.BadUnit),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Fact]
    public async Task A_good_reading_becomes_the_same_reading_through_every_input()
    {
        var json = Assert.Single(ViaJson(Good).Readings);
        var sparkplug = Assert.Single((await ViaSparkplugAsync(Good)).Readings);
        var opcUa = Assert.Single(ViaOpcUa(Good).Readings);
        var expected = ("plant-a", "pump-07", "vibration", Received - 1_000_000, 2.75, Quality.Good);
        foreach (var r in new[] { json, sparkplug, opcUa })
            Assert.Equal(expected, (r.Site, r.Asset, r.Sensor, r.TimestampMicros, r.Value, r.Quality));
        Assert.Equal(("mm/s", "mm/s"), (json.Unit, opcUa.Unit));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_reading_that_breaks_a_rule_is_refused_by_every_input_with_the_same_reason(string name)
    {
        var (sample, reason) = Cases[name];
        var json = ViaJson(sample).Rejection;
        var opcUa = ViaOpcUa(sample).Rejection;
        Assert.True(reason == json?.Reason, $"MQTT JSON: expected {reason}, got {json?.Reason ?? "a reading"} ({json?.Detail})");
        Assert.True(reason == opcUa?.Reason, $"OPC UA: expected {reason}, got {opcUa?.Reason ?? "a reading"} ({opcUa?.Detail})");
        Assert.Equal("ns=1;s=Pump.Value: " + json!.Detail, opcUa!.Detail);
        if (!sample.ViaSparkplug) return;
        var sparkplug = (await ViaSparkplugAsync(sample)).Rejection;
        Assert.True(reason == sparkplug?.Reason, $"Sparkplug: expected {reason}, got {sparkplug?.Reason ?? "a reading"} ({sparkplug?.Detail})");
        Assert.Equal($"metrics[0] '{sample.Sensor}': " + json.Detail, sparkplug!.Detail);
    }

    [Fact]
    public void A_rejection_in_a_batch_names_the_element_before_the_rule_s_sentence()
    {
        var mapper = new PayloadMapper([new MappingRule { Topic = "plants/{site}/{asset}", ReadingsPath = "$.readings", SensorPath = "$.sensor" }],
            new ValidationOptions(), "plant-default");
        var payload = """{"readings":[{"sensor":"ok","value":1},{"sensor":"bad+","value":2}]}""";
        var single = ViaJson(Good with { Sensor = "bad+", Timestamp = ReceivedAt }).Rejection!;
        var batch = mapper.Map("plants/plant-a/pump-07", Encoding.UTF8.GetBytes(payload), Received).Rejection!;
        Assert.Equal((RejectReason.BadIdentifier, "$.readings[1]: " + single.Detail), (batch.Reason, batch.Detail));
    }

    [Fact]
    public void A_quality_outside_good_uncertain_and_bad_is_refused()
    {
        // No input can make one (JSON refuses an unknown word as it parses, Sparkplug and OPC UA map every status code
        // onto the three), so the rule is shown on the validator itself.
        var validator = new ReadingValidator(new ValidationOptions());
        var reading = new Reading("plant-a", "pump-07", "vibration", Received, 1, (Quality)3, "", "test", Received);
        Assert.Equal(RejectReason.BadQuality, validator.Check(reading)?.Reason);
        Assert.Null(validator.Check(reading with { Quality = Quality.Bad }));
    }

    [Fact]
    public void A_minimum_timestamp_before_1970_stops_start_up_naming_the_key()
    {
        // Else the edge would accept event times the cloud's lake dead-letters (timestamp_out_of_range).
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Validation:MinTimestamp", "1960-01-01T00:00:00Z")]).Build();
        var error = Assert.Throws<IotTelemetry.Common.Configuration.ConfigurationException>(() => { EdgeConfiguration.Check(configuration).Dispose(); });
        Assert.Contains("Validation:MinTimestamp", error.Message);
    }

    /// <summary>Site from the topic, asset and sensor from the payload (so that they may hold any character), epoch milliseconds.</summary>
    private static MappingResult ViaJson(Sample s)
    {
        var mapper = new PayloadMapper([new MappingRule { Topic = "json/{site}", AssetPath = "$.asset", SensorPath = "$.sensor" }],
            new ValidationOptions(), "plant-default");
        var value = double.IsFinite(s.Value) ? (object)s.Value : s.Value.ToString(CultureInfo.InvariantCulture); // "NaN", "Infinity", "-Infinity"
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["asset"] = s.Asset, ["sensor"] = s.Sensor, ["value"] = value, ["unit"] = s.Unit, ["ts"] = s.Timestamp.ToUnixTimeMilliseconds(),
        });
        return mapper.Map("json/" + s.Site, payload, Received);
    }

    /// <summary>A DDATA of device = asset in group = site (<c>Sparkplug:SiteFrom = group</c>), one Double metric named after the sensor.</summary>
    private static async Task<MappingResult> ViaSparkplugAsync(Sample s)
    {
        var mapper = new SparkplugMapper(new SparkplugOptions { SiteFrom = "group" }, new ValidationOptions(), "plant-default");
        var value = double.IsFinite(s.Value) ? (object)s.Value : s.Value.ToString(CultureInfo.InvariantCulture);
        var payload = await SparkplugPeers.EncodeAsync(JsonSerializer.Serialize(new
        {
            timestamp = s.Timestamp.ToUnixTimeMilliseconds(), seq = 0,
            metrics = new[] { new { name = s.Sensor, type = "Double", value, timestamp = s.Timestamp.ToUnixTimeMilliseconds() } },
        }));
        return mapper.Map($"spBv1.0/{s.Site}/DDATA/node-1/{s.Asset}", payload, Received);
    }

    /// <summary>A Good data change of a node configured for site/asset/sensor, with its EngineeringUnits.</summary>
    private static MappingResult ViaOpcUa(Sample s)
    {
        var mapper = new OpcUaMapper("opc.tcp://127.0.0.1:4840/UA", [], new ValidationOptions());
        var node = new OpcUaWatchedNode("ns=1;s=Pump.Value", s.Site, s.Asset, s.Sensor);
        return mapper.Map(new OpcUaDataChange(node, s.Value, null, s.Timestamp.UtcDateTime, null, 0, OpcUaQuality.Good) { Unit = s.Unit }, Received);
    }
}
