namespace IotTelemetry.Simulator;

/// <summary>One injected fault (configuration <c>Simulator:Faults:N</c>).</summary>
public sealed class FaultOptions
{
    public FaultKind Kind { get; set; }

    /// <summary>Asset name, e.g. <c>pump-03</c>.</summary>
    public string Asset { get; set; } = "";

    /// <summary>Sensor for StuckSensor and Spike; BearingFailure always affects vibration and temperature.</summary>
    public string Sensor { get; set; } = "";

    /// <summary>Seconds after the simulation starts.</summary>
    public double StartSeconds { get; set; }

    /// <summary>How long it lasts; a bearing failure keeps getting worse until then.</summary>
    public double DurationSeconds { get; set; } = 30;
}
