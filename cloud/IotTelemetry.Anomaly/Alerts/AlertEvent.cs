namespace IotTelemetry.Anomaly;

/// <summary>
/// One step of one alert, as published to the <c>alerts</c> topic and the <c>alerts.jsonl</c> journal.
/// An alert is one ongoing condition of one sensor (or asset, for correlated rules) under one rule.
/// </summary>
/// <param name="Kind">Raised, Updated, Cleared (or Acknowledged, written by others).</param>
/// <param name="AlertId">Deterministic: <c>site/asset/sensor|rule|startedMicros</c>, so a restart recognises it.</param>
/// <param name="Sensor">The sensor; for a correlated rule the sensors joined with '+'.</param>
/// <param name="Rule">limits, zscore, rate, stuck, gap, learned, or the correlated rule's name.</param>
/// <param name="Value">The value of the reading that caused this event.</param>
/// <param name="Score">The statistic judged (value, z-score, rate, run length, missed intervals, learned score).</param>
/// <param name="Threshold">What <paramref name="Score"/> was compared with.</param>
/// <param name="Peak">The value at the most extreme score so far.</param>
/// <param name="StartedMicros">Event time the condition was raised.</param>
/// <param name="EventMicros">Event time of this step.</param>
/// <param name="ClearedMicros">Event time the condition cleared (Cleared only).</param>
public sealed record AlertEvent(
    AlertEventKind Kind,
    string AlertId,
    string Site,
    string Asset,
    string Sensor,
    string Rule,
    Severity Severity,
    string Message,
    double Value,
    double Score,
    double Threshold,
    double Peak,
    long StartedMicros,
    long EventMicros,
    long? ClearedMicros = null)
{
    /// <summary>How long the condition has lasted at this event, in microseconds.</summary>
    public long DurationMicros => (ClearedMicros ?? EventMicros) - StartedMicros;

    /// <summary>The condition this alert is about: <c>site/asset/sensor|rule</c>; alert ids start with it.</summary>
    public string ConditionKey => AlertIds.Condition(Site, Asset, Sensor, Rule);
}
