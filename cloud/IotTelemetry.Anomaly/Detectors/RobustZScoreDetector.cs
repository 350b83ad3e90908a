namespace IotTelemetry.Anomaly;

/// <summary>
/// Rolling z-score against an exponentially weighted mean and variance. Robust: each residual is clipped to
/// <see cref="ZScoreOptions.Clip"/> standard deviations before it updates the statistics, so a spike or a stuck
/// outlier cannot drag the baseline. Plain mean and variance during the warm-up, when nothing is judged.
/// </summary>
public sealed class RobustZScoreDetector
{
    private readonly double _sigma, _clear, _alpha, _clip, _minSd;
    private readonly int _warmUp, _persistence;
    private long _count;
    private int _beyond;
    private double _mean, _var;
    private bool _abnormal;

    public RobustZScoreDetector(ZScoreOptions options)
    {
        _sigma = options.Sigma;
        _clear = options.Sigma - options.ClearHysteresis;
        _alpha = 2.0 / (options.Window + 1.0);
        _clip = options.Clip;
        _minSd = options.MinStdDev;
        _warmUp = options.WarmUp;
        _persistence = options.Persistence;
    }

    /// <summary>Judges <paramref name="value"/>; the verdict's score is the signed z-score, its threshold the sigma.</summary>
    public Verdict Observe(long timestampMicros, double value)
    {
        if (!double.IsFinite(value)) return Verdict.Warming;
        _count++;
        if (_count <= _warmUp || _count == 1)
        {
            var d0 = value - _mean;
            _mean += d0 / _count;
            _var += (d0 * (value - _mean) - _var) / _count;
            return Verdict.Warming;
        }
        var sd = Math.Max(Math.Sqrt(_var), _minSd);
        var d = value - _mean;
        var z = d / sd;
        var limit = _clip * sd;
        var clipped = Math.Clamp(d, -limit, limit);
        _mean += _alpha * clipped;
        _var = (1 - _alpha) * (_var + _alpha * clipped * clipped);
        var abs = Math.Abs(z);
        _beyond = abs > _sigma ? _beyond + 1 : 0;
        if (_beyond >= _persistence) _abnormal = true;
        else if (abs < _clear) _abnormal = false;
        return new Verdict(_abnormal ? DetectorState.Abnormal : DetectorState.Normal, z, _sigma);
    }
}
