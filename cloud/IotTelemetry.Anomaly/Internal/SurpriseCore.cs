namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// The surprise of one value in one series: the forecast error against a fast EWMA, the shift of a short-term
/// level from a slow one, and how far the value leaves the range seen so far. Each raw measure is compared with
/// the distribution of its own past values (<see cref="ScoreStats"/>); the strongest weighted surprise is
/// returned. Averages start as plain means and become exponential once their horizon is reached.
/// </summary>
internal struct SurpriseCore
{
    private long _count;
    private double _fast, _slow, _short, _min, _max;
    private ScoreStats _forecast, _shift, _novelty;

    public readonly void Save(BinaryWriter w)
    {
        w.Write(_count); w.Write(_fast); w.Write(_slow); w.Write(_short); w.Write(_min); w.Write(_max);
        _forecast.Save(w); _shift.Save(w); _novelty.Save(w);
    }

    public void Load(BinaryReader r)
    {
        _count = r.ReadInt64();
        (_fast, _slow, _short, _min, _max) = (r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        _forecast.Load(r); _shift.Load(r); _novelty.Load(r);
    }

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
        var warm = 1.0 / _count;
        _fast += Math.Max(warm, o.FastAlpha) * (value - _fast);
        _slow += Math.Max(warm, o.SlowAlpha) * (value - _slow);
        _short += Math.Max(warm, o.ShortAlpha) * (value - _short);
        var shift = Math.Abs(_short - _slow);
        if (value < _min) _min = value;
        if (value > _max) _max = value;

        var horizon = 1.0 / o.LikelihoodHorizon;
        var f = _forecast.Surprise(forecastError, horizon, o);
        var s = _shift.Surprise(shift, horizon, o);
        var n = _novelty.Surprise(novelty, horizon, o);
        return Math.Max(f * o.ForecastWeight, Math.Max(s * o.ShiftWeight, n * o.NoveltyWeight));
    }
}
