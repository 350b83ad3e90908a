namespace IotTelemetry.Anomaly;

/// <summary>How urgently an alert asks for a person.</summary>
public enum Severity : byte
{
    Info = 0,
    Warning = 1,
    Critical = 2,
}
