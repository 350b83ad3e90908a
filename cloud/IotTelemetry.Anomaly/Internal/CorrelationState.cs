namespace IotTelemetry.Anomaly.Internal;

/// <summary>One correlated rule on one asset: when each of its sensors was last abnormal, and the rule's alert.</summary>
internal sealed class CorrelationState
{
    private readonly long[] _lastAbnormal;
    private readonly long _window;
    private readonly ConditionTracker _tracker;

    public CorrelationState(CorrelationRuleOptions rule, string site, string asset, AlertPolicyOptions policy, AlertBook book)
    {
        Rule = rule;
        _lastAbnormal = new long[rule.Sensors.Count];
        Array.Fill(_lastAbnormal, long.MinValue);
        _window = rule.Window.Ticks / 10;
        var reason = string.IsNullOrWhiteSpace(rule.Reason) ? rule.Name : rule.Reason;
        _tracker = new ConditionTracker(site, asset, string.Join('+', rule.Sensors), rule.Name, rule.Severity,
            AlertMessages.Correlation(reason, rule.Sensors, rule.Window), policy, book);
    }

    public CorrelationRuleOptions Rule { get; }

    public ConditionTracker Tracker => _tracker;

    /// <summary>Records the verdict of one of the rule's sensors and judges the rule.</summary>
    public void Observe(int slot, bool abnormal, long ts, double value, List<AlertEvent> output)
    {
        if (abnormal && ts > _lastAbnormal[slot]) _lastAbnormal[slot] = ts;
        var recent = 0;
        foreach (var t in _lastAbnormal)
            if (t != long.MinValue && ts - t <= _window) recent++;
        var state = recent == _lastAbnormal.Length ? DetectorState.Abnormal : DetectorState.Normal;
        _tracker.Step(new Verdict(state, recent, _lastAbnormal.Length), ts, value, output);
    }
}
