namespace IotTelemetry.Anomaly;

/// <summary>The step of an alert's life an <see cref="AlertEvent"/> records.</summary>
public enum AlertEventKind : byte
{
    Raised = 0,
    Updated = 1,
    Cleared = 2,

    /// <summary>A person acknowledged the alert; never produced by the engine, carried through by <see cref="AlertBook"/>.</summary>
    Acknowledged = 3,
}
