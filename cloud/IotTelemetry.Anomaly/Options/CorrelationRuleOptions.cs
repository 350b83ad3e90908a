namespace IotTelemetry.Anomaly;

/// <summary>
/// An asset-level rule: every sensor in <see cref="Sensors"/> of one asset was abnormal (any of its detectors)
/// within <see cref="Window"/>, e.g. vibration and bearing temperature together mean bearing wear.
/// </summary>
public sealed class CorrelationRuleOptions
{
    /// <summary>The rule name, used in alert ids and as the alert's rule, e.g. <c>bearing-wear</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Glob over <c>site/asset</c>, e.g. <c>plant-*/pump-*</c>.</summary>
    public string Match { get; set; } = "*/*";

    /// <summary>The sensor names that must all be abnormal, e.g. <c>["vibration", "bearing_temp"]</c>.</summary>
    public List<string> Sensors { get; set; } = [];

    /// <summary>How close together the sensors' abnormal readings must be.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    public Severity Severity { get; set; } = Severity.Critical;

    /// <summary>Human text of the diagnosis, e.g. <c>bearing wear</c>; the name when empty.</summary>
    public string? Reason { get; set; }
}
