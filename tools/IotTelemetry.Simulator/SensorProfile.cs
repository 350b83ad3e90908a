namespace IotTelemetry.Simulator;

/// <summary>How one kind of sensor behaves when healthy: a level, a slow load cycle (minutes) and noise.</summary>
public sealed record SensorProfile(string Kind, string Unit, double Level, double CycleAmplitude, double CyclePeriodSeconds, double Noise)
{
    public static readonly SensorProfile[] Kinds =
    [
        new("temperature", "degC", 65.0, 3.0, 900, 0.3),
        new("vibration", "mm/s", 2.8, 0.4, 600, 0.15),
        new("pressure", "bar", 6.0, 0.3, 720, 0.05),
        new("current", "A", 14.0, 1.5, 660, 0.2),
    ];
}
