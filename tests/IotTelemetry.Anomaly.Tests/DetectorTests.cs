namespace IotTelemetry.Anomaly.Tests;

public class DetectorTests
{
    private const long Minute = 60 * Signals.Second;
    private static readonly ZScoreOptions ZOptions = new() { Sigma = 3, Window = 100, WarmUp = 30 };

    [Fact]
    public void Zscore_raises_on_a_spike()
    {
        var d = new RobustZScoreDetector(ZOptions);
        var signal = Signals.NoisySine(1000, 50, 0.1);
        signal[800] += 10;
        var abnormal = Enumerable.Range(0, signal.Length).Where(i => d.Observe(i, signal[i]).IsAbnormal).ToList();
        Assert.Equal([800], abnormal);
    }

    [Fact]
    public void Zscore_stays_quiet_on_a_clean_sine()
    {
        var d = new RobustZScoreDetector(ZOptions);
        var signal = Signals.NoisySine(5000, 50, 0.1);
        Assert.DoesNotContain(signal.Select((v, i) => d.Observe(i, v)), v => v.IsAbnormal);
    }

    [Fact]
    public void Zscore_judges_nothing_during_the_warm_up()
    {
        var d = new RobustZScoreDetector(ZOptions);
        var verdicts = Enumerable.Range(0, 30).Select(i => d.Observe(i, i == 20 ? 1000 : 1 + 0.01 * (i % 3))).ToList();
        Assert.All(verdicts, v => Assert.Equal(DetectorState.Warming, v.State));
        Assert.NotEqual(DetectorState.Warming, d.Observe(31, 1).State);
    }

    [Fact]
    public void Zscore_baseline_is_not_dragged_by_an_outlier()
    {
        var d = new RobustZScoreDetector(ZOptions);
        var signal = Signals.NoisySine(600, 50, 0.1);
        for (var i = 0; i < 500; i++) d.Observe(i, signal[i]);
        Assert.True(d.Observe(500, 1e6).IsAbnormal);
        // One huge outlier moves the clipped statistics by at most a few sigma: normal values stay normal.
        var after = Enumerable.Range(501, 99).Select(i => d.Observe(i, signal[i])).ToList();
        Assert.DoesNotContain(after.Skip(5), v => v.IsAbnormal);
    }

    [Fact]
    public void Limits_hold_until_the_value_is_back_inside_by_the_hysteresis()
    {
        var d = new StaticLimitDetector(new LimitsOptions { Low = 0, High = 100, Hysteresis = 5 });
        Assert.False(d.Observe(99).IsAbnormal);
        Assert.True(d.Observe(101).IsAbnormal);
        Assert.True(d.Observe(97).IsAbnormal);
        Assert.False(d.Observe(94).IsAbnormal);
        Assert.True(d.Observe(-1).IsAbnormal);
        Assert.True(d.Observe(3).IsAbnormal);
        Assert.False(d.Observe(6).IsAbnormal);
    }

    [Fact]
    public void Stuck_raises_after_the_configured_count_of_unchanged_readings()
    {
        var d = new StuckDetector(new StuckOptions { Count = 10, Tolerance = 0.01 });
        d.Observe(1);
        var verdicts = Enumerable.Range(0, 12).Select(i => d.Observe(5 + (i % 2) * 0.005)).ToList();
        Assert.False(verdicts[8].IsAbnormal);
        Assert.True(verdicts[9].IsAbnormal);
        Assert.False(d.Observe(6).IsAbnormal);
    }

    [Fact]
    public void Rate_of_change_raises_on_a_fast_step()
    {
        var d = new RateOfChangeDetector(new RateOfChangeOptions { MaxPerSecond = 5 });
        Assert.Equal(DetectorState.Warming, d.Observe(0, 10).State);
        Assert.False(d.Observe(Signals.Second, 14).IsAbnormal);
        var step = d.Observe(2 * Signals.Second, 30);
        Assert.True(step.IsAbnormal);
        Assert.Equal(16, step.Score, 9);
    }

    [Fact]
    public void Gap_is_judged_from_the_learned_interval()
    {
        var d = new GapDetector(new GapOptions { Intervals = 5 });
        for (var i = 0; i <= 10; i++) d.Observe(i * 2 * Signals.Second);
        Assert.Equal(2 * Signals.Second, d.ExpectedIntervalMicros, 6);
        Assert.False(d.Check(29 * Signals.Second).IsAbnormal);
        Assert.True(d.Check(31 * Signals.Second).IsAbnormal);
    }

    [Fact]
    public void Learned_detector_scores_a_spike_high_and_a_clean_sine_low()
    {
        var options = new LearnedOptions();
        var clean = new LearnedDetector(options);
        var sine = Signals.NoisySine(3000, 100, 0.05);
        var cleanMax = sine.Select((v, i) => clean.Score(i * Minute, v)).Max();

        var spiky = new LearnedDetector(options);
        sine[2500] += 5;
        var scores = sine.Select((v, i) => spiky.Score(i * Minute, v)).ToArray();

        Assert.True(cleanMax < options.AlertScore, $"clean sine scored {cleanMax}");
        Assert.True(scores[2500] >= options.AlertScore, $"spike scored {scores[2500]}");
        Assert.True(scores[2501] == 0, "the reading after a reported anomaly is suppressed");
    }

    [Fact]
    public void Learned_detector_reports_a_level_shift()
    {
        var options = new LearnedOptions();
        var d = new LearnedDetector(options);
        var signal = Signals.NoisySine(3000, 100, 0.05);
        for (var i = 2000; i < signal.Length; i++) signal[i] += 3;
        var first = Enumerable.Range(0, signal.Length).First(i => d.Observe(i * Minute, signal[i]).IsAbnormal);
        Assert.InRange(first, 2000, 2010);
    }

    [Fact]
    public void Learned_detector_reports_a_reversed_cycle_between_the_same_levels_through_its_transition_detector()
    {
        // 0, 5, 10, 0, 5, 10, ... then from reading 2500 on 0, 10, 5, 0, 10, 5, ...: the same levels, mean, spread and
        // (time-reversed) rhythm, so forecast errors and levels look as before, but 0 -> 10, 10 -> 5 and 5 -> 0
        // are moves never made before.
        double[] up = [0, 5, 10], down = [0, 10, 5];
        var random = new Random(3);
        var signal = new double[3000];
        for (var i = 0; i < signal.Length; i++)
            signal[i] = (i < 2500 ? up[i % 3] : down[(i - 2500) % 3]) + (random.NextDouble() - 0.5) * 0.2;

        List<int> Reports(LearnedOptions options)
        {
            var d = new LearnedDetector(options);
            var rows = new List<int>();
            for (var i = 0; i < signal.Length; i++)
                if (d.Observe(i * Minute, signal[i]).IsAbnormal && i >= 1000) rows.Add(i);
            return rows;
        }

        // No time-of-day profile: the rhythm has no daily pattern, and the test is about the transition detector. Every
        // move is a step of 5 or 10 here, so the large-step gate (TransitionMinStep) is off: no step stands out.
        var with = Reports(new LearnedOptions { DailySlots = 0, TransitionMinStep = 0 });
        var without = Reports(new LearnedOptions { DailySlots = 0, TransitionScale = 0 });
        Assert.True(with.Count == 1 && with[0] is >= 2500 and <= 2510, $"reports at {string.Join(' ', with)}");
        Assert.True(without.Count == 0, $"without the transition detector: reports at {string.Join(' ', without)}");
    }

    [Fact]
    public void Learned_detectors_transition_detector_speaks_only_for_large_steps_so_noise_on_a_drifting_level_is_quiet()
    {
        // A plant sensor: a level following a 10-minute load cycle at 5 Hz with Gaussian noise, two hours of it. Noise
        // now and then steps two levels of the transition detector at once, or reaches a level the cycle seldom
        // visits; only with the large-step gate off do such moves raise it.
        var random = new Random(11);
        var signal = new double[36_000];
        for (var i = 0; i < signal.Length; i++)
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            signal[i] = 6 + 0.3 * Math.Sin(2 * Math.PI * i / 3000.0) + 0.05 * gaussian;
        }
        int Reports(LearnedOptions options)
        {
            var d = new LearnedDetector(options);
            var n = 0;
            for (var i = 0; i < signal.Length; i++)
                if (d.Observe(i * 200_000L, signal[i]).IsAbnormal) n++;
            return n;
        }

        var ungated = Reports(new LearnedOptions { TransitionMinStep = 0 });
        var gated = Reports(new LearnedOptions());
        Assert.True(ungated > 0, "the ungated transition detector was expected to report noise moves");
        Assert.Equal(0, gated);

        // A change of level is one large step: the gated detector still reports it.
        var d = new LearnedDetector(new LearnedOptions());
        var reported = false;
        for (var i = 0; i < signal.Length; i++)
            reported |= d.Observe(i * 200_000L, signal[i] + (i >= 30_000 ? 1.5 : 0)).IsAbnormal && i >= 30_000 && i < 30_010;
        Assert.True(reported, "a step of 1.5 (30 noise standard deviations) was not reported");
    }
}
