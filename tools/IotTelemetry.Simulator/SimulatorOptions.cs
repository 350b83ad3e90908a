namespace IotTelemetry.Simulator;

/// <summary>The simulated plant (configuration section <c>Simulator</c>).</summary>
public sealed class SimulatorOptions
{
    public string Site { get; set; } = "plant-a";

    /// <summary>Number of assets, named <c>pump-01</c>, <c>pump-02</c>, ...</summary>
    public int Assets { get; set; } = 10;

    /// <summary>Sensors per asset, drawn in turn from temperature, vibration, pressure, current (then temperature-2, ...).</summary>
    public int SensorsPerAsset { get; set; } = 4;

    /// <summary>Readings per second per sensor.</summary>
    public double SampleRateHz { get; set; } = 5;

    /// <summary>MQTT topic template; {site}, {asset} and {sensor} are filled in.</summary>
    public string TopicTemplate { get; set; } = "plants/{site}/{asset}/{sensor}";

    /// <summary>Seed of the noise, so a run can be repeated exactly.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>
    /// Fractional digits of published values: real sensors report a fixed resolution, and values that
    /// round-trip exactly through text make end-to-end checks exact.
    /// </summary>
    public int Decimals { get; set; } = 3;

    public List<FaultOptions> Faults { get; set; } = [];

    /// <summary>A plant with one of each fault, timed to show up within the first minute.</summary>
    public static List<FaultOptions> DefaultFaults() =>
    [
        new() { Kind = FaultKind.Spike, Asset = "pump-02", Sensor = "pressure", StartSeconds = 20, DurationSeconds = 1.0 },
        new() { Kind = FaultKind.StuckSensor, Asset = "pump-03", Sensor = "current", StartSeconds = 20, DurationSeconds = 40 },
        new() { Kind = FaultKind.BearingFailure, Asset = "pump-01", StartSeconds = 25, DurationSeconds = 60 },
    ];
}
