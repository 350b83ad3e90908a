namespace IotTelemetry.Anomaly;

/// <summary>Rate of change between consecutive readings (configuration key <c>RateOfChange</c> of a rule).</summary>
public sealed class RateOfChangeOptions
{
    /// <summary>Raise when |Δvalue| / Δt exceeds this, in the value's unit per second.</summary>
    public double MaxPerSecond { get; set; }

    public Severity Severity { get; set; } = Severity.Warning;
}
