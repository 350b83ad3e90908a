namespace IotTelemetry.Anomaly;

/// <summary>The rule names of the per-sensor detectors, as they appear in <see cref="AlertEvent.Rule"/> and alert ids.</summary>
public static class RuleNames
{
    public const string Limits = "limits";
    public const string ZScore = "zscore";
    public const string Rate = "rate";
    public const string Stuck = "stuck";
    public const string Gap = "gap";
    public const string Learned = "learned";
    public const string Multivariate = "multivariate";
}
