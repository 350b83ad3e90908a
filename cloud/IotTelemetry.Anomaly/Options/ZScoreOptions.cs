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

    /// <summary>
    /// Consecutive readings beyond <see cref="Sigma"/> before the sensor counts as abnormal. 1 judges each reading
    /// alone (on Gaussian noise about 0.27% of readings pass 3 sigma: a false alarm every few minutes per sensor at
    /// a few Hz); 3 makes that about 2e-8 while a real spike or step still shows within three readings.
    /// </summary>
    public int Persistence { get; set; } = 1;

    public Severity Severity { get; set; } = Severity.Warning;
}
