namespace IotTelemetry.Edge.Json;

/// <summary>
/// One payload layout a mapping rule accepts (configuration <c>Mapping:Rules:N:Shapes:M</c>). A rule that lists shapes
/// tries them in order on each reading and uses the first whose <see cref="When"/> member is present and whose
/// <see cref="ValuePath"/> finds a value. A path left unset here is taken from the rule.
/// </summary>
public sealed class PayloadShape
{
    /// <summary>Recorded on the reading's source (<c>mqtt:topic#rule/shape</c>); defaults to the shape's position.</summary>
    public string? Name { get; set; }

    /// <summary>A member that must be present for this shape to be tried, e.g. <c>$.data</c>.</summary>
    public string? When { get; set; }

    public string? ValuePath { get; set; }
    public string? TimestampPath { get; set; }
    public string? TimestampUnit { get; set; }
    public string? UnitPath { get; set; }
    public string? Unit { get; set; }
    public string? QualityPath { get; set; }

    /// <summary>Sensor for readings of this shape when neither the topic nor the rule's SensorPath gives one.</summary>
    public string? Sensor { get; set; }
}
