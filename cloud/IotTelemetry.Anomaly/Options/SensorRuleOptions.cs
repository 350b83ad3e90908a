namespace IotTelemetry.Anomaly;

/// <summary>The detectors of the sensors whose key <c>site/asset/sensor</c> matches <see cref="Match"/>.</summary>
public sealed class SensorRuleOptions
{
    /// <summary>Glob over <c>site/asset/sensor</c>: <c>*</c> matches within one segment, <c>?</c> one character, e.g. <c>plant-*/pump-*/vibration</c>.</summary>
    public string Match { get; set; } = "*/*/*";

    public LimitsOptions? Limits { get; set; }
    public ZScoreOptions? ZScore { get; set; }
    public RateOfChangeOptions? RateOfChange { get; set; }
    public StuckOptions? Stuck { get; set; }
    public GapOptions? Gap { get; set; }
    public LearnedOptions? Learned { get; set; }
}
