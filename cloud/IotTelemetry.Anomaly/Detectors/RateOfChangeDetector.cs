namespace IotTelemetry.Anomaly;

/// <summary>Absolute change per second between consecutive readings against a maximum.</summary>
public sealed class RateOfChangeDetector
{
    private readonly double _max;
    private bool _started;
    private long _lastTs;
    private double _last;

    public RateOfChangeDetector(RateOfChangeOptions options) => _max = options.MaxPerSecond;

    /// <summary>The verdict's score is the rate in units per second; readings out of order or at the same time are skipped.</summary>
    public Verdict Observe(long timestampMicros, double value)
    {
        if (!double.IsFinite(value)) return Verdict.Warming;
        if (!_started || timestampMicros <= _lastTs)
        {
            if (!_started) (_started, _lastTs, _last) = (true, timestampMicros, value);
            return Verdict.Warming;
        }
        var rate = Math.Abs(value - _last) / ((timestampMicros - _lastTs) / 1e6);
        _lastTs = timestampMicros;
        _last = value;
        return new Verdict(rate > _max ? DetectorState.Abnormal : DetectorState.Normal, rate, _max);
    }
}
