using IotTelemetry.Anomaly.Internal;

namespace IotTelemetry.Anomaly;

/// <summary>
/// Online anomaly scorer for one sensor, constant work and bounded memory (about 6.5 KB) per sensor.
/// Three views of the series are scored: each reading, the means of blocks of <see cref="LearnedOptions.BlockSize"/>
/// readings (forecast error, level shift, range novelty for both), and the value against the same time of day
/// on earlier days. Every raw measure becomes a tail probability against the distribution of its own past
/// values, as NAB's anomaly likelihood does, and the strongest surprise wins, less a share of the surprise
/// usually seen around this time of day. A second detector runs beside them: how rare the move from the previous
/// reading's level to this one is among the moves seen so far (<see cref="LearnedOptions.TransitionBins"/> levels
/// across the range), as a tail probability the same way; it speaks only for a reading whose step from the previous
/// one is large (<see cref="LearnedOptions.TransitionMinStep"/> times the mean step), so noise that happens to cross
/// into a level seldom visited, or a slow drift reaching a new one, does not raise it. The score in [0, 1] is the larger of the two, each over
/// its own scale (<see cref="LearnedOptions.SurpriseScale"/>, <see cref="LearnedOptions.TransitionScale"/>); after a
/// reported anomaly it is held at 0 for <see cref="LearnedOptions.Suppression"/> readings, so one event gives one
/// detection.
/// </summary>
public sealed class LearnedDetector
{
    private const long MicrosPerDay = 86_400_000_000L;
    private readonly LearnedOptions _o;
    private readonly PeriodProfile? _daily;
    private readonly ShiftedTransitions? _transitions;
    private SurpriseCore _reading, _block;
    private ScoreStats _seasonal, _transition;
    private StepScale _step;
    private long _count;
    private double _blockSum;
    private int _blockFill, _suppressed, _held;

    public LearnedDetector(LearnedOptions options)
    {
        _o = options;
        if (options.DailySlots > 0) _daily = new PeriodProfile(MicrosPerDay, options.DailySlots);
        if (options.TransitionScale > 0) _transitions = new ShiftedTransitions(options.TransitionBins, options.TransitionHorizon);
    }

    /// <summary>Writes everything learned so far (about 6 KB with the defaults); <see cref="Load"/> continues from it.</summary>
    public void Save(BinaryWriter w)
    {
        _reading.Save(w); _block.Save(w); _seasonal.Save(w); _transition.Save(w); _step.Save(w);
        w.Write(_count); w.Write(_blockSum); w.Write(_blockFill); w.Write(_suppressed); w.Write(_held);
        w.Write(_daily is not null);
        _daily?.Save(w);
        w.Write(_transitions is not null);
        _transitions?.Save(w);
    }

    /// <summary>Continues from a <see cref="Save"/> of a detector with the same options; throws
    /// <see cref="InvalidDataException"/> when the snapshot does not fit them.</summary>
    public void Load(BinaryReader r)
    {
        _reading.Load(r); _block.Load(r); _seasonal.Load(r); _transition.Load(r); _step.Load(r);
        (_count, _blockSum, _blockFill, _suppressed, _held) = (r.ReadInt64(), r.ReadDouble(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
        if (r.ReadBoolean() != _daily is not null) throw new InvalidDataException("model snapshot: DailySlots differs from the options");
        _daily?.Load(r);
        if (r.ReadBoolean() != _transitions is not null) throw new InvalidDataException("model snapshot: TransitionScale differs from the options");
        _transitions?.Load(r);
    }

    /// <summary>Readings observed so far.</summary>
    public long Count => _count;

    /// <summary>Observes one reading; abnormal when the score reaches <see cref="LearnedOptions.AlertScore"/>.</summary>
    public Verdict Observe(long timestampMicros, double value)
    {
        if (!double.IsFinite(value)) return Verdict.Warming;
        var score = Score(timestampMicros, value);
        if (_count <= _o.WarmUp) return Verdict.Warming;
        return new Verdict(score >= _o.AlertScore ? DetectorState.Abnormal : DetectorState.Normal, score, _o.AlertScore);
    }

    /// <summary>Observes one reading and returns its anomaly score in [0, 1] (0 during the warm-up).</summary>
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
            var slot = _daily.SlotOf(timestampMicros);
            var residual = _daily.Residual(slot, timestampMicros, value);
            if (!double.IsNaN(residual))
                s = Math.Max(s, _o.SeasonalWeight * _seasonal.Surprise(residual, 1.0 / _o.LikelihoodHorizon, _o));
            var usual = _daily.UsualSurprise(slot, _o.UsualReach);
            _daily.Learn(slot, timestampMicros, value, s, _o.SeasonalAlpha, _o.UsualDecay);
            s = Math.Max(0, s - _o.UsualWeight * usual);
        }
        var score = s / _o.SurpriseScale;
        if (_transitions is not null)
        {
            var rarity = _transitions.Observe(value);
            var transition = _transition.Surprise(rarity, 1.0 / _o.LikelihoodHorizon, _o) / _o.TransitionScale;
            if (_step.Large(value, _o.TransitionMinStep, _o.TransitionHorizon)) score = Math.Max(score, transition);
        }
        if (_count <= _o.WarmUp) return 0;
        score = Math.Min(1.0, score);
        if (_suppressed > 0)
        {
            var ongoing = _o.SuppressionHold > 0 && score >= _o.SuppressionHold * _o.AlertScore;
            if (!ongoing || ++_held > 3 * _o.Suppression) _suppressed--;
            return 0;
        }
        if (score >= _o.AlertScore)
        {
            _suppressed = _o.Suppression;
            _held = 0;
        }
        return score;
    }
}
