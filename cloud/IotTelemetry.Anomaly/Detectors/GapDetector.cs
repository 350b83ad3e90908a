namespace IotTelemetry.Anomaly;

/// <summary>
/// Missing data: a reading is expected every interval (configured, or learned from the intervals seen); when
/// <see cref="Check(long)"/> finds none for <see cref="GapOptions.Intervals"/> intervals, the sensor is in a gap.
/// </summary>
public sealed class GapDetector
{
    private readonly double _intervals;
    private readonly bool _learn;
    private double _expected;
    private long _last = long.MinValue;
    private int _seen;

    public GapDetector(GapOptions options)
    {
        _intervals = options.Intervals;
        _expected = options.ExpectedInterval.Ticks / 10.0;
        _learn = options.ExpectedInterval <= TimeSpan.Zero;
    }

    public long LastReadingMicros => _last;

    public double ExpectedIntervalMicros => _expected;

    /// <summary>Records a reading; a reading ends any gap.</summary>
    public Verdict Observe(long timestampMicros)
    {
        if (_last != long.MinValue && timestampMicros > _last && _learn)
        {
            var interval = (double)(timestampMicros - _last);
            if (_seen == 0) _expected = interval;
            else if (interval < 3 * _expected) _expected += 0.1 * (interval - _expected);
            _seen++;
        }
        if (timestampMicros > _last) _last = timestampMicros;
        return new Verdict(DetectorState.Normal, 0, _intervals);
    }

    /// <summary>Judges the silence up to <paramref name="nowMicros"/>; the score is the number of expected intervals elapsed.</summary>
    public Verdict Check(long nowMicros)
    {
        if (_last == long.MinValue || _expected <= 0 || (_learn && _seen < 2)) return Verdict.Warming;
        var missed = (nowMicros - _last) / _expected;
        return new Verdict(missed > _intervals ? DetectorState.Abnormal : DetectorState.Normal, missed, _intervals);
    }
}
