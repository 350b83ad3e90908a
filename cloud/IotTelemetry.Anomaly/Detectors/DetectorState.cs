namespace IotTelemetry.Anomaly;

/// <summary>What a detector concluded from the latest reading.</summary>
public enum DetectorState : byte
{
    /// <summary>Not enough history yet to judge (warm-up).</summary>
    Warming = 0,
    Normal = 1,
    Abnormal = 2,
}
