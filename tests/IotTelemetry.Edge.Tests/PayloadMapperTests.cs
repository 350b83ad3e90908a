using System.Text;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Json;
using IotTelemetry.Edge.Validation;

namespace IotTelemetry.Edge.Tests;

public class PayloadMapperTests
{
    private static readonly long Now = UnixMicros.FromDateTimeOffset(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    private static PayloadMapper Mapper(ValidationOptions? validation = null) => new(
    [
        new MappingRule { Name = "single", Topic = "plants/{site}/{asset}/{sensor}" },
        new MappingRule
        {
            Name = "batch", Topic = "plants/{site}/{asset}", ReadingsPath = "$.readings", SensorPath = "$.sensor",
        },
        new MappingRule { Name = "strict", Topic = "strict/{asset}/{sensor}", TimestampRequired = true },
        new MappingRule { Name = "bare", Topic = "legacy/+/{asset}/{sensor}", ValuePath = "$", TimestampPath = null, QualityPath = null, Unit = "bar" },
    ], validation ?? new ValidationOptions(), "plant-default");

    private static MappingResult Map(string topic, string payload, PayloadMapper? mapper = null) =>
        (mapper ?? Mapper()).Map(topic, Encoding.UTF8.GetBytes(payload), Now);

    [Fact]
    public void A_json_reading_maps_every_field()
    {
        var result = Map("plants/plant-a/pump-07/vibration",
            """{"ts":"2026-11-22T09:59:59.123456Z","value":2.75,"unit":"mm/s","quality":"uncertain"}""");
        var r = Assert.Single(result.Readings);
        Assert.Null(result.Rejection);
        Assert.Equal(new Reading("plant-a", "pump-07", "vibration", Now - 876_544, 2.75, Quality.Uncertain, "mm/s",
            "mqtt:plants/plant-a/pump-07/vibration", Now), r);
    }

    [Theory]
    [InlineData("1795341599", 1795341599_000_000)]
    [InlineData("1795341599123", 1795341599_123_000)]
    [InlineData("1795341599123456", 1795341599_123_456)]
    [InlineData("\"2026-11-22T11:59:59+02:00\"", 1795341599_000_000)]
    public void Timestamps_in_seconds_milliseconds_microseconds_and_iso_are_understood(string ts, long micros)
    {
        var r = Assert.Single(Map("plants/a/b/c", $$"""{"ts":{{ts}},"value":1}""").Readings);
        Assert.Equal(micros, r.TimestampMicros);
    }

    [Fact]
    public void A_payload_with_several_readings_becomes_several_readings()
    {
        var result = Map("plants/plant-a/pump-01",
            """{"ts":1795341599000,"readings":[{"sensor":"temperature","value":65.1,"unit":"degC"},{"sensor":"current","value":14,"ts":1795341598000}]}""");
        Assert.Equal(2, result.Readings.Count);
        Assert.Equal(("temperature", 65.1, 1795341599_000_000L, "degC"), (result.Readings[0].Sensor, result.Readings[0].Value, result.Readings[0].TimestampMicros, result.Readings[0].Unit));
        Assert.Equal(("current", 14.0, 1795341598_000_000L), (result.Readings[1].Sensor, result.Readings[1].Value, result.Readings[1].TimestampMicros));
    }

    [Fact]
    public void A_reading_without_timestamp_gets_the_receive_time()
    {
        Assert.Equal(Now, Assert.Single(Map("plants/a/b/c", """{"value":3}""").Readings).TimestampMicros);
    }

    [Fact]
    public void A_bare_number_payload_uses_the_rule_defaults_and_the_receive_time()
    {
        var r = Assert.Single(Map("legacy/x/press-1/inlet", "6.25").Readings);
        Assert.Equal(("plant-default", "press-1", "inlet", 6.25, "bar", Now), (r.Site, r.Asset, r.Sensor, r.Value, r.Unit, r.TimestampMicros));
    }

    [Fact]
    public void Booleans_become_one_and_zero()
    {
        Assert.Equal(1.0, Assert.Single(Map("plants/a/b/c", """{"value":true}""").Readings).Value);
        Assert.Equal(0.0, Assert.Single(Map("plants/a/b/c", """{"value":false}""").Readings).Value);
    }

    [Theory]
    [InlineData("plants/a/b/c", "{not json", RejectReason.NotJson)]
    [InlineData("plants/a/b/c", "", RejectReason.NotJson)]
    [InlineData("other/a/b/c", """{"value":1}""", RejectReason.UnmappedTopic)]
    [InlineData("plants/a/b/c/d", """{"value":1}""", RejectReason.UnmappedTopic)]
    [InlineData("plants/a/b/c", """{"v":1}""", RejectReason.MissingValue)]
    [InlineData("plants/a/b/c", """{"value":"high"}""", RejectReason.NonNumericValue)]
    [InlineData("plants/a/b/c", """{"value":{"x":1}}""", RejectReason.NonNumericValue)]
    [InlineData("plants/a/b/c", """{"value":null}""", RejectReason.NonNumericValue)]
    [InlineData("plants/a/b/c", """{"value":"NaN"}""", RejectReason.NonFiniteValue)]
    [InlineData("plants/a/b/c", """{"value":"-Infinity"}""", RejectReason.NonFiniteValue)]
    [InlineData("plants/a/b/c", """{"value":1e999}""", RejectReason.NonFiniteValue)]
    [InlineData("strict/b/c", """{"value":1}""", RejectReason.MissingTimestamp)]
    [InlineData("plants/a/b/c", """{"value":1,"ts":"yesterday"}""", RejectReason.BadTimestamp)]
    [InlineData("plants/a/b/c", """{"value":1,"ts":12}""", RejectReason.BadTimestamp)]
    [InlineData("plants/a/b/c", """{"value":1,"ts":"2027-01-01T00:00:00Z"}""", RejectReason.FutureTimestamp)]
    [InlineData("plants/a/b/c", """{"value":1,"quality":"meh"}""", RejectReason.BadQuality)]
    [InlineData("plants/a/b", """{"readings":[{"value":1}]}""", RejectReason.BadIdentifier)]
    [InlineData("plants/a/b", """{"readings":[{"sensor":"t","value":1},{"sensor":"u","value":"x"}]}""", RejectReason.NonNumericValue)]
    [InlineData("plants/a/b", """{"readings":5}""", RejectReason.MissingValue)]
    public void Bad_input_is_rejected_with_its_reason(string topic, string payload, string reason)
    {
        var result = Map(topic, payload);
        Assert.True(result.IsRejected, $"expected {reason}");
        Assert.Equal(reason, result.Rejection!.Reason);
        Assert.Empty(result.Readings);
        Assert.False(string.IsNullOrWhiteSpace(result.Rejection.Detail));
    }

    [Fact]
    public void A_rejected_batch_names_the_element_at_fault()
    {
        var result = Map("plants/a/b", """{"readings":[{"sensor":"t","value":1},{"sensor":"u","value":"x"}]}""");
        Assert.StartsWith("$.readings[1]: ", result.Rejection!.Detail);
    }

    [Fact]
    public void An_oversized_payload_is_rejected_before_parsing()
    {
        var mapper = Mapper(new ValidationOptions { MaxPayloadBytes = 100 });
        var result = Map("plants/a/b/c", "{\"value\":1,\"pad\":\"" + new string('x', 200) + "\"}", mapper);
        Assert.Equal(RejectReason.PayloadTooLarge, result.Rejection!.Reason);
        Assert.Contains("Validation:MaxPayloadBytes = 100", result.Rejection.Detail);
    }

    [Fact]
    public void A_future_timestamp_within_the_allowed_skew_is_accepted()
    {
        var ts = UnixMicros.ToDateTimeOffset(Now).AddMinutes(4).ToString("O");
        Assert.Single(Map("plants/a/b/c", $$"""{"value":1,"ts":"{{ts}}"}""").Readings);
    }

    [Fact]
    public void Subscription_filters_cover_the_templates()
    {
        Assert.Equal(["plants/+/+/+", "plants/+/+", "strict/+/+", "legacy/+/+/+"], Mapper().SubscriptionFilters.ToArray());
    }

    [Theory]
    [InlineData("plants/{site}/#", "no '#'")]
    [InlineData("plants/{plant}/x", "captures named")]
    [InlineData("plants/a{site}", "whole-segment")]
    public void Bad_templates_say_what_is_expected(string template, string expected)
    {
        Assert.False(TopicTemplate.TryParse(template, out _, out var error));
        Assert.Contains(expected, error);
    }
}
