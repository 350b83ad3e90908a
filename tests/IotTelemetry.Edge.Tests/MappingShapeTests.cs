using System.Text;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Json;
using IotTelemetry.Edge.Mqtt;
using IotTelemetry.Edge.Validation;

namespace IotTelemetry.Edge.Tests;

/// <summary>Rules with several payload shapes, rules chosen by a JSON member, and literal topic levels that name the sensor.</summary>
public class MappingShapeTests
{
    private static readonly long Now = UnixMicros.FromDateTimeOffset(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    private static readonly PayloadMapper Mapper = new(
    [
        new MappingRule
        {
            Name = "gateway", Topic = "line/{asset}/data", When = "$.data",
            Shapes = [new PayloadShape { Name = "temp", ValuePath = "$.data.temp", TimestampPath = "$.data.ts", Sensor = "temperature", Unit = "degC" }],
        },
        new MappingRule
        {
            Name = "devices", Topic = "line/{asset}/{sensor}",
            Shapes =
            [
                new PayloadShape { Name = "bare", ValuePath = "$" },
                new PayloadShape { Name = "value-ts", ValuePath = "$.value", TimestampPath = "$.ts" },
                new PayloadShape { Name = "v-timestamp", ValuePath = "$.v", TimestampPath = "$.timestamp", TimestampUnit = "s" },
            ],
        },
        new MappingRule { Name = "legacy", Topic = "legacy/{asset}/{sensor=temp}", ValuePath = "$", Unit = "degC" },
    ], new ValidationOptions(), "plant-x");

    private static MappingResult Map(string topic, string payload) => Mapper.Map(topic, Encoding.UTF8.GetBytes(payload), Now);

    [Theory]
    [InlineData("line/p1/pressure", "21.5", 21.5, "bare", 0L)]
    [InlineData("line/p1/pressure", "{\"value\":14.2,\"ts\":1795341599000}", 14.2, "value-ts", 1795341599_000_000L)]
    [InlineData("line/p1/pressure", "{\"v\":13.9,\"timestamp\":1795341599}", 13.9, "v-timestamp", 1795341599_000_000L)]
    public void Each_shape_of_a_rule_is_tried_in_order_and_named_on_the_source(string topic, string payload, double value, string shape, long micros)
    {
        var result = Map(topic, payload);
        Assert.Null(result.Rejection);
        var r = Assert.Single(result.Readings);
        Assert.Equal((value, "mqtt:" + topic + "#devices/" + shape, micros == 0 ? Now : micros), (r.Value, r.Source, r.TimestampMicros));
    }

    [Fact]
    public void A_rule_with_a_When_member_applies_only_to_payloads_that_have_it()
    {
        var gateway = Assert.Single(Map("line/oven-1/data", "{\"data\":{\"temp\":180.5,\"ts\":1795341599000}}").Readings);
        Assert.Equal(("temperature", 180.5, "degC", "mqtt:line/oven-1/data#gateway/temp"), (gateway.Sensor, gateway.Value, gateway.Unit, gateway.Source));
        var device = Assert.Single(Map("line/oven-1/data", "{\"value\":3}").Readings); // no $.data: the next rule whose topic matches
        Assert.Equal(("data", 3.0, "mqtt:line/oven-1/data#devices/value-ts"), (device.Sensor, device.Value, device.Source));
    }

    [Fact]
    public void A_payload_no_shape_fits_is_dead_lettered_naming_every_shape_tried()
    {
        var rejection = Map("line/p1/pressure", "{\"reading\":1}").Rejection!;
        Assert.Equal(RejectReason.MissingValue, rejection.Reason);
        Assert.Contains("$ or $.value or $.v", rejection.Detail); // $ finds the object, but an object is no value: the first shape is tried last
    }

    [Fact]
    public void A_literal_topic_level_can_name_the_sensor()
    {
        var r = Assert.Single(Map("legacy/oven-2/temp", "175").Readings);
        Assert.Equal(("oven-2", "temp", 175.0, "degC", "mqtt:legacy/oven-2/temp"), (r.Asset, r.Sensor, r.Value, r.Unit, r.Source));
        Assert.Equal(RejectReason.UnmappedTopic, Map("legacy/oven-2/pressure", "175").Rejection!.Reason);
        Assert.Contains("legacy/+/temp", Mapper.SubscriptionFilters);
    }
}

public class TopicFilterTests
{
    [Theory]
    [InlineData("line/+/+", "line/+/data", true)]
    [InlineData("line/+/data", "line/+/+", false)]
    [InlineData("line/#", "line", true)]
    [InlineData("line/#", "line/a/b", true)]
    [InlineData("line/+", "line/a/b", false)]
    [InlineData("spBv1.0/#", "line/+/+", false)]
    [InlineData("a/b", "a/b", false)]
    public void A_filter_covers_another_when_it_matches_every_topic_the_other_matches(string outer, string inner, bool covers) =>
        Assert.Equal(covers, TopicFilters.Covers(outer, inner));

    [Fact]
    public void The_agent_subscribes_only_to_filters_no_other_covers_so_no_message_arrives_twice() =>
        Assert.Equal(["line/+/+", "legacy/+/temp", "spBv1.0/#"],
            TopicFilters.Minimal(["line/+/data", "line/+/+", "legacy/+/temp", "line/+/+", "spBv1.0/#", "spBv1.0/g/+/n"]));
}
