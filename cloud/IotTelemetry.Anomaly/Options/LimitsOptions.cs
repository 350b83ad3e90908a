namespace IotTelemetry.Anomaly;

/// <summary>Static engineering limits (configuration key <c>Limits</c> of a rule).</summary>
public sealed class LimitsOptions
{
    /// <summary>Raise when the value goes below this; none when null.</summary>
    public double? Low { get; set; }

    /// <summary>Raise when the value goes above this; none when null.</summary>
    public double? High { get; set; }

    /// <summary>Dead band (in the value's unit): clear only once the value is this far back inside the limits.</summary>
    public double Hysteresis { get; set; }

    public Severity Severity { get; set; } = Severity.Critical;
}
