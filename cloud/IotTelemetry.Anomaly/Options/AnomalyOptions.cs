namespace IotTelemetry.Anomaly;

/// <summary>
/// Everything the engine is configured with; bind it from the configuration section <see cref="SectionName"/>
/// (<c>configuration.GetSection("Anomaly").Get&lt;AnomalyOptions&gt;()</c>) and call <see cref="Validate"/>.
/// </summary>
public sealed class AnomalyOptions
{
    public const string SectionName = "Anomaly";

    /// <summary>Per-sensor detector rules; for each detector kind the first rule that matches a sensor and sets it wins.</summary>
    public List<SensorRuleOptions> Rules { get; set; } = [];

    /// <summary>Rules over several sensors of one asset.</summary>
    public List<CorrelationRuleOptions> Correlations { get; set; } = [];

    /// <summary>Multivariate detectors per asset; the first entry whose <c>Match</c> matches the asset wins.</summary>
    public List<MultivariateOptions> Multivariate { get; set; } = [];

    /// <summary>Alert lifecycle: update rate limit and cool-down.</summary>
    public AlertPolicyOptions Alerts { get; set; } = new();

    /// <summary>Checks every value; throws <see cref="AnomalyOptionsException"/> listing each problem with its configuration key.</summary>
    public void Validate()
    {
        var errors = AnomalyOptionsValidator.Validate(this);
        if (errors.Count > 0) throw new AnomalyOptionsException(errors);
    }
}
