namespace IotTelemetry.Edge.Validation;

/// <summary>Limits every incoming message and reading must meet (configuration <c>Validation</c>).</summary>
public sealed class ValidationOptions
{
    /// <summary>Larger payloads go to the dead-letter topic unparsed.</summary>
    public int MaxPayloadBytes { get; set; } = 256 * 1024;

    /// <summary>How far ahead of the agent's clock an event timestamp may be.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Event timestamps before this are rejected as bad (a sensor clock that was never set).</summary>
    public DateTimeOffset MinTimestamp { get; set; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Deepest nesting of JSON objects and arrays a payload may have.</summary>
    public int MaxJsonDepth { get; set; } = 32;

    /// <summary>Longest site, asset or sensor name.</summary>
    public int MaxIdentifierLength { get; set; } = 128;
}
