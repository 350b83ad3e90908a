namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// The surprise of one value in one series: forecast error against a fast EWMA, shift of a short level from a
/// slow level, and how far the value leaves the range seen so far; each raw measure is compared with the
/// exponentially weighted distribution of its own recent values, and the strongest surprise
/// (-log10 of its Gaussian tail probability) is returned. Constant work, 15 doubles.
/// </summary>
internal struct SurpriseCore
{
    private long _count;
    private double _fast, _slow, _short, _min, _max;
    private ScoreStats _forecast, _shift, _novelty;

    public double Observe(double value, LearnedOptions o)
    {
        if (_count++ == 0)
        {
            _fast = _slow = _short = _min = _max = value;
            return 0;
        }
        var forecastError = Math.Abs(value - _fast);
        var range = _max - _min;
        var novelty = range > 0 ? Math.Max(0, Math.Max(value - _max, _min - value)) / range : (value != _max ? 1 : 0);
        _fast += o.FastAlpha * (value - _fast);
        _slow += o.SlowAlpha * (value - _slow);
        _short += o.ShortAlpha * (value - _short);
        var shift = Math.Abs(_short - _slow);
        if (value < _min) _min = value;
        if (value > _max) _max = value;
        var a = 1.0 / o.LikelihoodHorizon;
        var f = _forecast.Surprise(forecastError, a, o.RecentAlpha);
        var s = _shift.Surprise(shift, a, o.RecentAlpha);
        var n = _novelty.Surprise(novelty, a, o.RecentAlpha);
        return Math.Max(f, Math.Max(s * o.ShiftWeight, n * o.NoveltyWeight));
    }

    /// <summary>Exponentially weighted distribution of one raw score, and the tail probability of its recent average.</summary>
    private struct ScoreStats
    {
        private double _mean, _var, _recent;
        private bool _started;

        public double Surprise(double raw, double alpha, double recentAlpha)
        {
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
}
