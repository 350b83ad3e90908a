namespace IotTelemetry.Simulator;

public enum FaultKind
{
    /// <summary>A bearing wearing out: vibration and temperature of one asset drift up together.</summary>
    BearingFailure,

    /// <summary>A sensor that keeps reporting the same value.</summary>
    StuckSensor,

    /// <summary>A short burst of large values on one sensor.</summary>
    Spike,
}
