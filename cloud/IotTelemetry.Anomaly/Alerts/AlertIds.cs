namespace IotTelemetry.Anomaly;

/// <summary>Deterministic alert identities, so that a restarted service recognises the alerts it raised before.</summary>
public static class AlertIds
{
    /// <summary><c>site/asset/sensor|rule</c>: one condition, which has at most one open alert at a time.</summary>
    public static string Condition(string site, string asset, string sensor, string rule) =>
        string.Concat(site, "/", asset, "/", sensor, "|", rule);

    /// <summary><c>site/asset/sensor|rule|startedMicros</c>.</summary>
    public static string Of(string conditionKey, long startedMicros) =>
        string.Concat(conditionKey, "|", startedMicros.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
