namespace IotTelemetry.Anomaly.Internal;

/// <summary>Exponentially weighted distribution of one raw score, and the tail probability of its recent average.</summary>
internal struct ScoreStats
{
    private double _mean, _var, _recent;
    private bool _started;
    private long _n;

    /// <summary>Compares the recent average (including <paramref name="raw"/>) with the distribution learned so far,
    /// then learns <paramref name="raw"/>; plain averages until the exponential horizon is reached.</summary>
    public double Surprise(double raw, double alpha, double recentAlpha)
    {
        _n++;
        alpha = Math.Min(1, Math.Max(alpha, 1.0 / _n));
        if (!_started)
        {
            _mean = _recent = raw;
            _var = 0;
            _started = true;
            return 0;
        }
        _recent += recentAlpha * (raw - _recent);
        var sd = Math.Sqrt(_var);
        var z = sd > 1e-12 ? (_recent - _mean) / sd : (_recent > _mean + 1e-12 ? 10 : 0);
        var d = raw - _mean;
        _mean += alpha * d;
        _var = (1 - alpha) * (_var + alpha * d * d);
        if (z <= 0) return 0;
        return -Math.Log10(Math.Max(Gaussian.UpperTail(z), 1e-300));
    }
}
