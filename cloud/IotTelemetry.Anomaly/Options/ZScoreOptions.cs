namespace IotTelemetry.Anomaly;

/// <summary>Robust rolling z-score (configuration key <c>ZScore</c> of a rule).</summary>
public sealed class ZScoreOptions
{
    /// <summary>Raise when |value - mean| exceeds this many standard deviations.</summary>
    public double Sigma { get; set; } = 3.0;

    /// <summary>Clear only once the z-score is this much below <see cref="Sigma"/>.</summary>
    public double ClearHysteresis { get; set; } = 0.5;

    /// <summary>Readings averaged (exponentially weighted, horizon of about this many readings).</summary>
    public int Window { get; set; } = 100;

    /// <summary>Readings observed before the detector judges anything.</summary>
    public int WarmUp { get; set; } = 30;

    /// <summary>Residuals are clipped to this many standard deviations before they update the statistics (robustness).</summary>
    public double Clip { get; set; } = 3.0;

    /// <summary>Floor of the standard deviation (in the value's unit), so a perfectly flat signal does not divide by 0.</summary>
    public double MinStdDev { get; set; } = 1e-6;

    public Severity Severity { get; set; } = Severity.Warning;
}
