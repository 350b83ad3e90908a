using IotTelemetry.Anomaly.Internal;

namespace IotTelemetry.Anomaly;

/// <summary>
/// Online anomaly scorer for one sensor, constant work and memory per reading. Two views of the series, each
/// reading and the means of blocks of <see cref="LearnedOptions.BlockSize"/> readings, each scored by forecast
/// error, level shift and range novelty; every raw measure is turned into a tail probability against the
/// distribution of its own recent values (as NAB's anomaly likelihood does) and the strongest surprise becomes
/// the score in [0, 1]. After a reported anomaly the score is held at 0 for a while: one event, one detection.
/// </summary>
public sealed class LearnedDetector
{
    private readonly LearnedOptions _o;
    private SurpriseCore _reading, _block;
    private long _count;
    private double _blockSum;
    private int _blockFill, _suppressed;
    private readonly DailyProfile? _daily;
    private ScoreStats _seasonal;

    public LearnedDetector(LearnedOptions options)
    {
        _o = options;
        if (options.DailySlots > 0) _daily = new DailyProfile(options.DailySlots);
    }

    public long Count => _count;

    /// <summary>Observes one reading; abnormal when the score reaches <see cref="LearnedOptions.AlertScore"/>.</summary>
    public Verdict Observe(long timestampMicros, double value)
    {
        if (!double.IsFinite(value)) return Verdict.Warming;
        var score = Score(timestampMicros, value);
        if (_count <= _o.WarmUp) return Verdict.Warming;
        return new Verdict(score >= _o.AlertScore ? DetectorState.Abnormal : DetectorState.Normal, score, _o.AlertScore);
    }

    /// <summary>Observes one reading and returns its anomaly score in [0, 1].</summary>
    public double Score(long timestampMicros, double value)
    {
        if (!double.IsFinite(value)) return 0;
        _count++;
        var s = _reading.Observe(value, _o);
        if (_o.BlockSize > 1)
        {
            _blockSum += value;
            if (++_blockFill == _o.BlockSize)
            {
                s = Math.Max(s, _o.BlockWeight * _block.Observe(_blockSum / _blockFill, _o));
                _blockSum = 0;
                _blockFill = 0;
            }
        }
        if (_daily is not null)
        {
            var slot = _daily.Slot(timestampMicros);
            var residual = _daily.Residual(slot, timestampMicros, value);
            if (!double.IsNaN(residual))
            {
                var seasonal = _o.SeasonalWeight * _seasonal.Surprise(residual, 1.0 / _o.LikelihoodHorizon, _o.RecentAlpha);
                s = _o.SeasonalCombine switch
                {
                    1 => Math.Min(s, seasonal),
                    2 => Math.Sqrt(s * seasonal),
                    3 => (s + seasonal) / 2,
                    _ => Math.Max(s, seasonal),
                };
            }
            var usual = _daily.UsualSurprise(slot);
            _daily.Learn(slot, timestampMicros, value, s, _o.SeasonalAlpha, _o.UsualDecay);
            s = Math.Max(0, s - _o.UsualWeight * usual);
        }
        if (_count <= _o.WarmUp) return 0;
        var score = Math.Min(1.0, s / _o.SurpriseScale);
        if (_suppressed > 0)
        {
            _suppressed--;
            return 0;
        }
        if (score >= _o.AlertScore)
        {
            _suppressed = _o.Suppression;
        }
        return score;
    }
}
