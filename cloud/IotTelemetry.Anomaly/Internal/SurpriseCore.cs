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
        var warm = o.WarmAlpha ? 1.0 / _count : 0;
        _fast += Math.Max(warm, o.FastAlpha) * (value - _fast);
        _slow += Math.Max(warm, o.SlowAlpha) * (value - _slow);
        _short += Math.Max(warm, o.ShortAlpha) * (value - _short);
        var shift = Math.Abs(_short - _slow);
        if (value < _min) _min = value;
        if (value > _max) _max = value;
        var a = Math.Max(o.WarmLikelihood ? 1.0 / _count : 0, 1.0 / o.LikelihoodHorizon);
        a = Math.Min(1, a);
        var f = _forecast.Surprise(forecastError, a, o.RecentAlpha);
        var s = _shift.Surprise(shift, a, o.RecentAlpha);
        var n = _novelty.Surprise(novelty, a, o.RecentAlpha);
        return Math.Max(f * o.ForecastWeight, Math.Max(s * o.ShiftWeight, n * o.NoveltyWeight));
    }
}
