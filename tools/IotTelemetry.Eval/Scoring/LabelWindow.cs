namespace IotTelemetry.Eval.Scoring;

/// <summary>A labeled anomaly window, inclusive at both ends.</summary>
public readonly record struct LabelWindow(long StartMicros, long EndMicros);
