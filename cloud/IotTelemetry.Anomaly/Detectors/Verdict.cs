namespace IotTelemetry.Anomaly;

/// <summary>A detector's conclusion: its state, the statistic it judged and the threshold it compared it with.</summary>
public readonly record struct Verdict(DetectorState State, double Score, double Threshold)
{
    public static Verdict Warming => new(DetectorState.Warming, 0, 0);

    public bool IsAbnormal => State == DetectorState.Abnormal;
}
