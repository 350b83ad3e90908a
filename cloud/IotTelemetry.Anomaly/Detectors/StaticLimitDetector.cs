namespace IotTelemetry.Anomaly;

/// <summary>Low/high engineering limits with a dead band: raised outside the limits, cleared once back inside by the hysteresis.</summary>
public sealed class StaticLimitDetector
{
    private readonly double _low, _high, _hysteresis;
    private bool _abnormal;

    public StaticLimitDetector(LimitsOptions options)
    {
        _low = options.Low ?? double.NegativeInfinity;
        _high = options.High ?? double.PositiveInfinity;
        _hysteresis = options.Hysteresis;
    }

    public Verdict Observe(double value)
    {
        if (double.IsNaN(value)) return new Verdict(_abnormal ? DetectorState.Abnormal : DetectorState.Normal, value, _high);
        if (value > _high || value < _low) _abnormal = true;
        else if (value <= _high - _hysteresis && value >= _low + _hysteresis) _abnormal = false;
        var threshold = value >= _high - _hysteresis ? _high : _low;
        return new Verdict(_abnormal ? DetectorState.Abnormal : DetectorState.Normal, value, threshold);
    }
}
