using IotTelemetry.Common.Readings;

namespace IotTelemetry.Anomaly.Internal;

/// <summary>Everything the engine keeps for one sensor: its detectors, one tracker per detector, its correlated rules.</summary>
internal sealed class SensorState
{
    private readonly StaticLimitDetector? _limits;
    private readonly RobustZScoreDetector? _zScore;
    private readonly RateOfChangeDetector? _rate;
    private readonly StuckDetector? _stuck;
    private readonly GapDetector? _gap;
    private readonly LearnedDetector? _learned;
    private readonly ConditionTracker? _limitsAlert, _zScoreAlert, _rateAlert, _stuckAlert, _gapAlert, _learnedAlert;
    private readonly (CorrelationState State, int Slot)[] _correlations;
    private readonly MultivariateState? _multivariate;
    private readonly int _multivariateSlot;
    private double _lastValue;

    public SensorState(string site, string asset, string sensor, AnomalyOptions options,
        IReadOnlyList<(CorrelationState State, int Slot)> correlations, AlertBook book,
        (MultivariateState? State, int Slot) multivariate = default)
    {
        var key = SensorKey.Of(site, asset, sensor);
        var p = options.Alerts;
        ConditionTracker Track(string rule, Severity severity, Describe d) => new(site, asset, sensor, rule, severity, d, p, book);

        if (First(options, key, r => r.Limits) is { } l)
            (_limits, _limitsAlert) = (new StaticLimitDetector(l), Track(RuleNames.Limits, l.Severity, AlertMessages.Limits(sensor)));
        if (First(options, key, r => r.ZScore) is { } z)
            (_zScore, _zScoreAlert) = (new RobustZScoreDetector(z), Track(RuleNames.ZScore, z.Severity, AlertMessages.ZScore(sensor)));
        if (First(options, key, r => r.RateOfChange) is { } rc)
            (_rate, _rateAlert) = (new RateOfChangeDetector(rc), Track(RuleNames.Rate, rc.Severity, AlertMessages.Rate(sensor)));
        if (First(options, key, r => r.Stuck) is { } s)
            (_stuck, _stuckAlert) = (new StuckDetector(s), Track(RuleNames.Stuck, s.Severity, AlertMessages.Stuck(sensor)));
        if (First(options, key, r => r.Gap) is { } g)
            (_gap, _gapAlert) = (new GapDetector(g), Track(RuleNames.Gap, g.Severity, AlertMessages.Gap(sensor)));
        if (First(options, key, r => r.Learned) is { } m)
            (_learned, _learnedAlert) = (new LearnedDetector(m), Track(RuleNames.Learned, m.Severity, AlertMessages.Learned(sensor)));
        _correlations = [.. correlations];
        (_multivariate, _multivariateSlot) = multivariate;
        Key = key;
    }

    public string Key { get; }

    /// <summary>The learned detector, null when no rule sets one for this sensor.</summary>
    public LearnedDetector? Learned => _learned;

    public bool HasGapDetector => _gap is not null;

    /// <summary>The rules this sensor has a tracker for.</summary>
    public IEnumerable<ConditionTracker> Trackers =>
        new[] { _limitsAlert, _zScoreAlert, _rateAlert, _stuckAlert, _gapAlert, _learnedAlert }.OfType<ConditionTracker>();

    public void Process(long ts, double value, Quality quality, List<AlertEvent> output)
    {
        if (_gap is not null) _gapAlert!.Step(_gap.Observe(ts), ts, value, output);
        if (quality == Quality.Bad || !double.IsFinite(value)) return;
        _lastValue = value;
        var abnormal = false;
        if (_limits is not null) abnormal |= Step(_limits.Observe(value), _limitsAlert!, ts, value, output);
        if (_zScore is not null) abnormal |= Step(_zScore.Observe(ts, value), _zScoreAlert!, ts, value, output);
        if (_rate is not null) abnormal |= Step(_rate.Observe(ts, value), _rateAlert!, ts, value, output);
        if (_stuck is not null) abnormal |= Step(_stuck.Observe(value), _stuckAlert!, ts, value, output);
        if (_learned is not null) abnormal |= Step(_learned.Observe(ts, value), _learnedAlert!, ts, value, output);
        foreach (var (state, slot) in _correlations) state.Observe(slot, abnormal, ts, value, output);
        _multivariate?.Observe(_multivariateSlot, ts, value, output);
    }

    /// <summary>Judges the silence since the last reading (data gap); the events carry the last good value.</summary>
    public void Tick(long nowMicros, List<AlertEvent> output)
    {
        if (_gap is null) return;
        var v = _gap.Check(nowMicros);
        _gapAlert!.Step(v, nowMicros, _lastValue, output);
    }

    private static bool Step(in Verdict v, ConditionTracker tracker, long ts, double value, List<AlertEvent> output)
    {
        tracker.Step(v, ts, value, output);
        return v.State == DetectorState.Abnormal;
    }

    private static T? First<T>(AnomalyOptions options, string key, Func<SensorRuleOptions, T?> pick) where T : class
    {
        foreach (var rule in options.Rules)
            if (pick(rule) is { } found && Glob.IsMatch(rule.Match, key)) return found;
        return null;
    }
}
