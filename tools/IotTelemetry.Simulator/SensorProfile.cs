namespace IotTelemetry.Simulator;

/// <summary>
/// How one kind of sensor behaves when healthy: a level, its swing with the asset's load cycle (shared by every
/// sensor of the asset, as a pump's current, pressure and vibration all follow its operating point), how far it
/// lags the load (a temperature follows it through the machine's thermal mass), and measurement noise.
/// </summary>
public sealed record SensorProfile(string Kind, string Unit, double Level, double CycleAmplitude, double LagSeconds, double Noise)
{
    public static readonly SensorProfile[] Kinds =
    [
        new("temperature", "degC", 65.0, 3.0, 60, 0.3),
        new("vibration", "mm/s", 2.8, 0.4, 0, 0.15),
        new("pressure", "bar", 6.0, 0.3, 0, 0.05),
        new("current", "A", 14.0, 1.5, 0, 0.2),
    ];

    /// <summary>Shortest load cycle of an asset; each asset's period is drawn from [min, 1.5 × min).</summary>
    public const double MinCycleSeconds = 600;
}
