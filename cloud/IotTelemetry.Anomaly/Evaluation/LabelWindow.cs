namespace IotTelemetry.Anomaly.Evaluation;

/// <summary>A labeled anomaly window, inclusive at both ends.</summary>
public readonly record struct LabelWindow(long StartMicros, long EndMicros);
