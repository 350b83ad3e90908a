namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// The typical size of a series' step from one reading to the next: the mean absolute step, exponentially
/// weighted, each step clipped at <c>factor</c> times the current mean so that the large steps it is there to
/// tell apart do not inflate it. A step is large when it reaches that factor times the mean: noise around a level
/// (or a level that drifts) almost never moves that far in one reading, a change of level does. Plain mean until
/// the horizon is reached; three numbers, no allocation.
/// </summary>
internal struct StepScale
{
    private double _mean, _last;
    private long _n;

    public readonly void Save(BinaryWriter w)
    {
        w.Write(_mean); w.Write(_last); w.Write(_n);
    }

    public void Load(BinaryReader r) => (_mean, _last, _n) = (r.ReadDouble(), r.ReadDouble(), r.ReadInt64());

    /// <summary>True when the step from the previous reading to <paramref name="value"/> is at least
    /// <paramref name="factor"/> times the mean step so far (false for the first two readings); then learns the step.</summary>
    public bool Large(double value, double factor, double horizon)
    {
        if (_n++ == 0)
        {
            _last = value;
            return false;
        }
        var step = Math.Abs(value - _last);
        _last = value;
        var scale = _mean;
        var large = _n > 2 && step >= factor * scale;
        if (_n > 2) step = Math.Min(step, factor * scale);
        _mean += Math.Max(1.0 / (_n - 1), 1.0 / horizon) * (step - _mean);
        return large;
    }
}
