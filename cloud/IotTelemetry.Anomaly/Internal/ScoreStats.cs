namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// The distribution of one raw measure (exponentially weighted mean and variance) and the surprise of its
/// recent average: -log10 of the Gaussian upper-tail probability, as NAB's anomaly likelihood computes it.
/// The scale is floored at a share of the largest recent deviation (slowly forgotten), so a series that
/// often jumps must jump further to surprise.
/// </summary>
internal struct ScoreStats
{
    private double _mean, _var, _recent, _peak;
    private long _n;

    public readonly void Save(BinaryWriter w)
    {
        w.Write(_mean); w.Write(_var); w.Write(_recent); w.Write(_peak); w.Write(_n);
    }

    public void Load(BinaryReader r)
    {
        (_mean, _var, _recent, _peak, _n) = (r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadInt64());
    }

    /// <summary>Compares the recent average (including <paramref name="raw"/>) with the distribution learned so far,
    /// then learns <paramref name="raw"/>; plain averages until the exponential horizon is reached.</summary>
    public double Surprise(double raw, double alpha, LearnedOptions o)
    {
        if (_n++ == 0)
        {
            _mean = _recent = raw;
            return 0;
        }
        alpha = Math.Min(1, Math.Max(alpha, 1.0 / _n));
        _recent += o.RecentAlpha * (raw - _recent);
        var sd = Math.Max(Math.Sqrt(_var), o.PeakFloor * _peak);
        var z = sd > 1e-12 ? (_recent - _mean) / sd : (_recent > _mean + 1e-12 ? 10 : 0);
        var d = raw - _mean;
        _peak = Math.Max(_peak * o.PeakDecay, Math.Abs(d));
        _mean += alpha * d;
        _var = (1 - alpha) * (_var + alpha * d * d);
        if (z <= 0) return 0;
        return -Math.Log10(Math.Max(Gaussian.UpperTail(z), 1e-300));
    }
}
