namespace IotTelemetry.Edge.Json;

/// <summary>
/// How one family of MQTT topics and JSON payloads becomes readings (configuration <c>Mapping:Rules:N</c>).
/// Paths are a small JSONPath subset: <c>$</c>, <c>$.a.b</c>, <c>$.a[0]</c>, <c>$['a b']</c>.
/// </summary>
public sealed class MappingRule
{
    /// <summary>Name used in logs and the source field.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// Topic template, e.g. <c>plants/{site}/{asset}/{sensor}</c>. Literal segments must match; <c>+</c> matches any one segment;
    /// <c>{sensor=temp}</c> matches the literal level <c>temp</c> and names the sensor after it.
    /// </summary>
    public string Topic { get; set; } = "";

    /// <summary>
    /// A JSON member the payload must have for this rule to apply (e.g. <c>$.data</c>); when it is missing the next rule whose
    /// topic matches is tried. Lets one topic layout carry payloads of different devices.
    /// </summary>
    public string? When { get; set; }

    /// <summary>Alternative payload layouts, tried in order on each reading; empty means the one layout given by this rule's paths.</summary>
    public List<PayloadShape> Shapes { get; set; } = [];

    /// <summary>Site when the template has no {site}; defaults to the agent's site.</summary>
    public string? Site { get; set; }

    /// <summary>Asset when the template has no {asset}.</summary>
    public string? Asset { get; set; }

    /// <summary>Sensor when neither the template nor <see cref="SensorPath"/> give one.</summary>
    public string? Sensor { get; set; }

    /// <summary>Path to an array of readings when one payload carries several; the other paths are then relative to each element.</summary>
    public string? ReadingsPath { get; set; }

    /// <summary>Path to the sensor name inside each reading (payloads with several readings).</summary>
    public string? SensorPath { get; set; }

    /// <summary>Path to the asset name inside the payload or reading.</summary>
    public string? AssetPath { get; set; }

    public string ValuePath { get; set; } = "$.value";

    /// <summary>Path to the event timestamp; when not set, the time the agent received the message is used.</summary>
    public string? TimestampPath { get; set; } = "$.ts";

    /// <summary>When true, a payload without a timestamp is dead-lettered; when false (default) it gets the time the agent received it.</summary>
    public bool TimestampRequired { get; set; }

    /// <summary>Unit of numeric timestamps: ms, s, us, or auto (by magnitude). ISO 8601 strings are always accepted.</summary>
    public string TimestampUnit { get; set; } = "auto";

    public string? UnitPath { get; set; } = "$.unit";

    /// <summary>Unit when the payload has none.</summary>
    public string? Unit { get; set; }

    public string? QualityPath { get; set; } = "$.quality";
}
