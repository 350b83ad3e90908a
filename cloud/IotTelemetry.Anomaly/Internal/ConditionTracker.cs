namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// The lifecycle of one condition (sensor and rule): raise once, update at most once per interval, clear,
/// stay quiet for the cool-down. Allocation happens only when an event is produced.
/// </summary>
internal sealed class ConditionTracker
{
    private readonly string _site, _asset, _sensor, _rule;
    private readonly Severity _severity;
    private readonly Describe _describe;
    private readonly long _updateInterval, _coolDown;
    private bool _open;
    private string _alertId = "";
    private long _started, _lastUpdate, _lastCleared = long.MinValue;
    private double _peak, _peakMagnitude;

    public ConditionTracker(string site, string asset, string sensor, string rule, Severity severity, Describe describe,
        AlertPolicyOptions policy, AlertBook book)
    {
        (_site, _asset, _sensor, _rule, _severity, _describe) = (site, asset, sensor, rule, severity, describe);
        _updateInterval = policy.UpdateInterval.Ticks / 10;
        _coolDown = policy.CoolDown.Ticks / 10;
        Key = AlertIds.Condition(site, asset, sensor, rule);
        Adopt(book);
    }

    public string Key { get; }

    public string Rule => _rule;

    public bool IsOpen => _open;

    /// <summary>Takes over the open alert and last clear time the book knows for this condition.</summary>
    public void Adopt(AlertBook book)
    {
        if (book.TryGetOpen(Key, out var e))
        {
            _open = true;
            _alertId = e.AlertId;
            _started = e.StartedMicros;
            _lastUpdate = e.EventMicros;
            _peak = e.Peak;
            _peakMagnitude = Math.Abs(e.Score);
        }
        else _open = false;
        if (book.LastClearedMicros(Key) is { } cleared && cleared > _lastCleared) _lastCleared = cleared;
    }

    /// <summary>Advances the lifecycle with one verdict; appends any event to <paramref name="output"/>.</summary>
    public void Step(in Verdict v, long ts, double value, List<AlertEvent> output)
    {
        if (v.State == DetectorState.Warming) return;
        if (v.State == DetectorState.Abnormal)
        {
            var magnitude = Math.Abs(v.Score);
            if (!_open)
            {
                if (_lastCleared != long.MinValue && ts - _lastCleared < _coolDown) return;
                _open = true;
                _started = _lastUpdate = ts;
                _alertId = AlertIds.Of(Key, ts);
                _peak = value;
                _peakMagnitude = magnitude;
                output.Add(Event(AlertEventKind.Raised, v, ts, value, null, _describe(value, v.Score, v.Threshold)));
                return;
            }
            if (magnitude > _peakMagnitude)
            {
                _peakMagnitude = magnitude;
                _peak = value;
            }
            if (ts - _lastUpdate >= _updateInterval)
            {
                _lastUpdate = ts;
                output.Add(Event(AlertEventKind.Updated, v, ts, value, null, _describe(value, v.Score, v.Threshold)));
            }
            return;
        }
        if (!_open) return;
        _open = false;
        _lastCleared = ts;
        var text = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"cleared after {TimeSpan.FromTicks(Math.Max(0, ts - _started) * 10)}, peak {_peak:G6}");
        output.Add(Event(AlertEventKind.Cleared, v, ts, value, ts, text));
    }

    private AlertEvent Event(AlertEventKind kind, in Verdict v, long ts, double value, long? cleared, string message) =>
        new(kind, _alertId, _site, _asset, _sensor, _rule, _severity, message, value, v.Score, v.Threshold, _peak, _started, ts, cleared);
}
