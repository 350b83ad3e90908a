namespace IotTelemetry.OpcUa;

/// <summary>The severity of a value's status code: its top two bits (Part 4, 7.39).</summary>
public enum OpcUaQuality
{
    Good,
    Uncertain,
    Bad,
}
