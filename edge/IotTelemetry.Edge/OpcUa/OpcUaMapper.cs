using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Json;
using IotTelemetry.Edge.Validation;
using IotTelemetry.OpcUa;

namespace IotTelemetry.Edge.OpcUa;

/// <summary>
/// Turns one OPC UA data change of one server into a reading, or a rejection with its reason, as
/// <see cref="PayloadMapper"/> and <see cref="Sparkplug.SparkplugMapper"/> do for MQTT: the value (Boolean, integers,
/// Float, Double), the source timestamp (else the server's, else the receive time), the status code as quality, the
/// node's EngineeringUnits (else the configured unit) as unit; the reading must then pass the <see cref="ReadingValidator"/>
/// (the same rules as MQTT's: before, OPC UA skipped the identifier and Validation:MinTimestamp checks). Kept apart from the service so that the same bad reading
/// can be given to every input's mapping in a test.
/// </summary>
public sealed class OpcUaMapper
{
    private readonly string _endpointUrl;
    private readonly Dictionary<string, string?> _units;
    private readonly ReadingValidator _validator;

    public OpcUaMapper(string endpointUrl, IEnumerable<OpcUaNodeOptions> nodes, ValidationOptions validation)
    {
        _endpointUrl = endpointUrl;
        _units = nodes.ToDictionary(n => n.Node, n => n.Unit, StringComparer.Ordinal);
        _validator = new ReadingValidator(validation);
    }

    /// <summary>The <c>source</c> of a reading of <paramref name="node"/>: <c>opcua:{endpoint}#{node}</c>.</summary>
    public string SourceOf(OpcUaWatchedNode node) => $"opcua:{_endpointUrl}#{node.Node}";

    /// <summary>One reading, or a rejection whose detail starts with the node; never both.</summary>
    public MappingResult Map(OpcUaDataChange change, long receivedMicros)
    {
        var node = change.Node;
        if (change.Value is not { } value)
            return MappingResult.Reject(RejectReason.NonNumericValue, $"{node.Node}: {change.NonNumericReason ?? "no value"}");
        var stamp = change.SourceTimestamp ?? change.ServerTimestamp;
        var timestamp = stamp is { } t ? UnixMicros.FromDateTimeOffset(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))) : receivedMicros;
        var quality = change.Quality switch { OpcUaQuality.Good => Quality.Good, OpcUaQuality.Uncertain => Quality.Uncertain, _ => Quality.Bad };
        var unit = change.Unit ?? _units.GetValueOrDefault(node.Node) ?? "";
        var reading = new Reading(node.Site, node.Asset, node.Sensor, timestamp, value, quality, unit, SourceOf(node), receivedMicros);
        return _validator.Check(reading) is { } refused
            ? MappingResult.Reject(refused.Reason, $"{node.Node}: {refused.Detail}")
            : new MappingResult([reading], null) { Rule = LineageHeaders.OpcUaRule };
    }
}
