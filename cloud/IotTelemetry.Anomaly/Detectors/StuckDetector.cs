namespace IotTelemetry.Anomaly;

/// <summary>A flat-lined sensor: the last N readings all lie within a band of width <see cref="StuckOptions.Tolerance"/>.</summary>
public sealed class StuckDetector
{
    private readonly int _count;
    private readonly double _tolerance;
    private long _run;
    private double _min, _max;

    public StuckDetector(StuckOptions options)
    {
        _count = options.Count;
        _tolerance = options.Tolerance;
    }

    /// <summary>The verdict's score is the length of the current flat run, its threshold the configured count.</summary>
    public Verdict Observe(double value)
    {
        if (!double.IsFinite(value)) return Verdict.Warming;
        if (_run > 0 && Math.Max(_max, value) - Math.Min(_min, value) <= _tolerance)
        {
            _run++;
            if (value < _min) _min = value;
            if (value > _max) _max = value;
        }
        else
        {
            _run = 1;
            _min = _max = value;
        }
        return new Verdict(_run >= _count ? DetectorState.Abnormal : DetectorState.Normal, _run, _count);
    }
}
