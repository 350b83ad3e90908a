namespace IotTelemetry.Anomaly;

/// <summary>Stuck or flat-lined sensor (configuration key <c>Stuck</c> of a rule).</summary>
public sealed class StuckOptions
{
    /// <summary>Raise when this many consecutive readings stay within <see cref="Tolerance"/> of each other.</summary>
    public int Count { get; set; } = 60;

    /// <summary>Largest spread (max - min, in the value's unit) still considered unchanged; 0 means identical values.</summary>
    public double Tolerance { get; set; }

    public Severity Severity { get; set; } = Severity.Warning;
}
