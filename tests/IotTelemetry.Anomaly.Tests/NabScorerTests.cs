using IotTelemetry.Eval.Scoring;

namespace IotTelemetry.Anomaly.Tests;

/// <summary>
/// Hand-computed cases on one 20-row series (one row a minute): probation = floor(0.15 * 20) = 3 rows,
/// one window over rows 10..14 (5 rows wide).
/// </summary>
public class NabScorerTests
{
    private const long Minute = 60_000_000;
    private static readonly ScoringProfile Standard = ScoringProfile.Standard;

    private static double S(double y) => 2.0 / (1.0 + Math.Exp(5.0 * y)) - 1.0;

    private static LabeledSeries Series(params (int Row, double Score)[] detections)
    {
        var ts = Enumerable.Range(0, 20).Select(i => i * Minute).ToArray();
        var scores = new double[20];
        foreach (var (row, score) in detections) scores[row] = score;
        return new LabeledSeries("test/one.csv", ts, scores, [new LabelWindow(10 * Minute, 14 * Minute)]);
    }

    private static double Raw(LabeledSeries s, ScoringProfile? p = null) => NabScorer.RawAtThreshold([s], p ?? Standard, 0.5);

    [Fact]
    public void Probation_is_fifteen_percent_capped_at_750_rows()
    {
        Assert.Equal(3, NabScorer.ProbationRows(20));
        Assert.Equal(150, NabScorer.ProbationRows(1000));
        Assert.Equal(750, NabScorer.ProbationRows(10_000));
    }

    [Fact]
    public void Scaled_sigmoid_is_near_one_at_the_window_start_and_zero_at_its_end()
    {
        Assert.Equal(0.98661, NabScorer.ScaledSigmoid(-1), 5);
        Assert.Equal(0.0, NabScorer.ScaledSigmoid(0), 12);
        Assert.Equal(-1.0, NabScorer.ScaledSigmoid(3.5));
    }

    [Fact]
    public void Detection_at_the_window_start_scores_S_of_minus_one()
    {
        Assert.Equal(S(-1.0), Raw(Series((10, 1))), 12);
    }

    [Fact]
    public void Late_detection_in_the_window_is_worth_less_than_early_detection()
    {
        // Row 14 is the last row: y = -(14 - 14 + 1) / 5 = -0.2.
        var late = Raw(Series((14, 1)));
        Assert.Equal(S(-0.2), late, 12);
        Assert.True(late < Raw(Series((10, 1))));
    }

    [Fact]
    public void Only_the_first_detection_in_a_window_counts()
    {
        // Rows 11 and 12: only row 11 counts, y = -(14 - 11 + 1) / 5 = -0.8.
        Assert.Equal(S(-0.8), Raw(Series((11, 1), (12, 1))), 12);
    }

    [Fact]
    public void Missed_window_costs_the_fn_weight()
    {
        Assert.Equal(-1.0, Raw(Series()), 12);
        Assert.Equal(-2.0, Raw(Series(), ScoringProfile.RewardLowFnRate), 12);
    }

    [Fact]
    public void False_positive_before_any_window_costs_the_full_fp_weight()
    {
        Assert.Equal(-0.11 - 1.0, Raw(Series((5, 1))), 12);
        Assert.Equal(-0.22 - 1.0, Raw(Series((5, 1)), ScoringProfile.RewardLowFpRate), 12);
    }

    [Fact]
    public void False_positive_after_a_window_costs_less_the_closer_it_is()
    {
        // Row 16 after the window ending at row 14 (5 rows wide): y = (16 - 14) / (5 - 1) = 0.5.
        var near = Raw(Series((10, 1), (16, 1)));
        Assert.Equal(S(-1.0) + 0.11 * S(0.5), near, 12);
        var far = Raw(Series((10, 1), (19, 1)));
        Assert.Equal(S(-1.0) + 0.11 * S(5.0 / 4.0), far, 12);
        Assert.True(far < near);
    }

    [Fact]
    public void Detections_in_the_probationary_period_are_ignored()
    {
        Assert.Equal(-1.0, Raw(Series((2, 1))), 12);
    }

    [Fact]
    public void Threshold_is_chosen_to_maximize_the_raw_score()
    {
        // Window detected at row 11 with score 0.9; a false positive at row 5 with 0.8: the best threshold is 0.9.
        var result = NabScorer.Score([Series((11, 0.9), (5, 0.8))], Standard);
        Assert.Equal(0.9, result.Threshold);
        Assert.Equal(S(-0.8), result.Raw, 12);
        Assert.Equal((1, 0, 0), (result.TruePositives, result.FalseNegatives, result.FalsePositives));
    }

    [Fact]
    public void Score_is_normalized_between_the_null_detector_and_the_perfect_one()
    {
        var result = NabScorer.Score([Series((10, 1))], Standard);
        // Null (always 0.5): detecting nothing scores -1; detecting every scored row (3..19) scores the window at its
        // start, 7 false positives before it and 5 after it, which is better here.
        var all = S(-1.0) - 0.11 * 7 + 0.11 * Enumerable.Range(15, 5).Sum(i => S((i - 14) / 4.0));
        Assert.Equal(all, result.Null, 12);
        Assert.Equal(S(-1.0), result.Perfect, 12);
        Assert.Equal(100.0, result.Normalized, 9);
        // A constant detector is the null detector whatever its constant: its best threshold detects every row.
        var constant = NabScorer.Score([Series()], Standard);
        Assert.Equal(0.0, constant.Normalized, 9);
        Assert.Equal(0.0, constant.Threshold);
    }

    [Fact]
    public void Null_detector_detects_nothing_when_false_positives_are_expensive()
    {
        var costly = new ScoringProfile("costly", 1, 1, 1);
        Assert.Equal(-1.0, NabScorer.Score([Series()], costly).Null, 12);
    }

    [Fact]
    public void Null_detector_that_detects_everything_wins_when_false_positives_are_cheap()
    {
        // Only rows 3..19 are scored.
        var cheap = new ScoringProfile("cheap", 1, 0.01, 1);
        var result = NabScorer.Score([Series()], cheap);
        var expected = S(-1.0) - 0.01 * 7 + 0.01 * Enumerable.Range(15, 5).Sum(i => S((i - 14) / 4.0));
        Assert.Equal(expected, result.Null, 12);
    }

    private static LabeledSeries Named(string name, LabeledSeries s) => s with { Name = name };

    [Fact]
    public void Cross_validation_scores_each_category_at_the_threshold_best_on_the_others()
    {
        // a: a true positive at 0.9 on the window's first row and a false positive at 0.6 before it; b: a late true
        // positive at 0.6. On all files the best threshold is 0.6. Left out, a gets b's best (0.6: both detections
        // count) and b gets a's best (0.9: b's window is missed).
        var a = Named("a/one.csv", Series((10, 0.9), (5, 0.6)));
        var b = Named("b/two.csv", Series((12, 0.6)));

        var inSample = NabScorer.Score([a, b], Standard);
        var cv = NabScorer.CrossValidate([a, b], Standard, NabScorer.Category);

        Assert.Equal(0.6, inSample.Threshold);
        Assert.Equal(S(-1.0) - 0.11 + S(-0.6), inSample.Raw, 12);
        Assert.Equal(NabScorer.RawAtThreshold([a], Standard, 0.6) + NabScorer.RawAtThreshold([b], Standard, 0.9), cv.Raw, 12);
        Assert.Equal(S(-1.0) - 0.11 - 1.0, cv.Raw, 12);
        Assert.Equal((1, 1, 1), (cv.TruePositives, cv.FalseNegatives, cv.FalsePositives));
        Assert.Equal(inSample.Null, cv.Null, 12);
        Assert.True(cv.Normalized < inSample.Normalized);
    }

    [Fact]
    public void Cross_validation_over_settings_picks_per_category_the_setting_best_on_the_others()
    {
        // Setting 0 finds a's window and c's late; setting 1 finds b's and c's early. Left out, a gets setting 1 (best
        // on b and c) and misses; b gets setting 0 (best on a and c) and misses; for c both tie on a and b, and the
        // first (0) is kept: c's late detection.
        var zero = new[] { Named("a/1.csv", Series((10, 1))), Named("b/2.csv", Series()), Named("c/3.csv", Series((12, 1))) };
        var one = new[] { Named("a/1.csv", Series()), Named("b/2.csv", Series((10, 1))), Named("c/3.csv", Series((10, 1))) };

        var cv = NabScorer.CrossValidate([zero, one], Standard, NabScorer.Category, out var chosen);

        Assert.Equal([("a", 1), ("b", 0), ("c", 0)], chosen.Select(c => (c.Group, c.Candidate)));
        Assert.Equal(-2 + S(-0.6), cv.Raw, 12);
        Assert.Equal(1, cv.TruePositives);
        Assert.Throws<ArgumentException>(() => NabScorer.CrossValidate([zero[0]], Standard, NabScorer.Category));
    }
}
