using IotTelemetry.Eval.Scoring;
using IotTelemetry.TestKit;

namespace IotTelemetry.Anomaly.Tests;

public class SkabTests
{
    private static readonly string SkabData = Path.GetFullPath(Path.Combine(RepoPaths.NabData, "..", "skab"));
    private const long Second = 1_000_000;

    /// <summary>A file of <paramref name="rows"/> one-second rows, one sensor, labels as given.</summary>
    private static SkabFile File(int rows, Func<int, bool> anomaly, params int[] changepoints) =>
        new("t/1.csv", ["x"], Enumerable.Range(0, rows).Select(i => i * Second).ToArray(), new double[rows],
            Enumerable.Range(0, rows).Select(anomaly).ToArray(), Enumerable.Range(0, rows).Select(changepoints.Contains).ToArray());

    [Fact]
    public void Points_are_scored_only_after_the_training_rows()
    {
        // Rows 500..599 anomalous; predicted 550..649 and, inside the training part, 0..399 (ignored).
        var file = File(700, i => i is >= 500 and < 600);
        var predicted = Enumerable.Range(0, 700).Select(i => i < 400 || i is >= 550 and < 650).ToArray();
        var p = SkabScorer.Points([file], [predicted]);
        Assert.Equal((50L, 50L, 50L, 150L), (p.Tp, p.Fp, p.Fn, p.Tn));
        Assert.Equal(0.5, p.F1, 12);
        Assert.Equal(50.0 / 200, p.Far, 12);
        Assert.Equal(0.5, p.Mar, 12);
    }

    [Fact]
    public void A_predicted_change_at_a_true_changepoint_is_a_true_positive_with_the_full_nab_reward()
    {
        var file = File(700, i => i is >= 500 and < 600, 500, 600);
        var predicted = Enumerable.Range(0, 700).Select(i => i is >= 500 and < 680).ToArray();
        var r = SkabScorer.Changepoints([file], [predicted], ScoringProfile.Standard);
        // Change at 500 (window 500..560: first row), change at 680 (after window 600..660: a false positive).
        Assert.Equal((1, 1, 1), (r.TruePositives, r.FalseNegatives, r.FalsePositives));
        Assert.True(r.Normalized is > 0 and < 100, $"{r.Normalized}");
    }

    [Fact]
    public void Skab_files_load_with_eight_sensors_and_labels()
    {
        var files = SkabFile.LoadAll(SkabData);
        Assert.Equal(30, files.Count);
        Assert.All(files, f => Assert.Equal(8, f.Sensors.Count));
        Assert.Contains("Volume Flow RateRMS", files[0].Sensors);
        Assert.All(files, f => Assert.Contains(true, f.Anomaly));
        var free = SkabFile.Read(Path.Combine(SkabData, "anomaly-free", "anomaly-free.csv"), "anomaly-free");
        Assert.Equal(files[0].Sensors, free.Sensors);
        Assert.True(free.Anomaly.Length > 9000, $"{free.Anomaly.Length} rows");
        Assert.DoesNotContain(true, free.Anomaly);
    }

    [Fact]
    public void Multivariate_detector_on_skab_reaches_F1_0_78_under_15_percent_false_alarms_and_beats_MSCRED_changepoints()
    {
        // Published on the full SKAB: best F1 0.78 (Conv-AE at FAR 13.55 %), MSCRED NAB standard 32.42 (see ../shared/data/skab/README.md).
        var files = SkabFile.LoadAll(SkabData);
        var options = new MultivariateOptions { WarmUp = SkabFile.TrainingRows };
        var predicted = files.Select(f =>
        {
            var d = new PcaDetector(options, f.Sensors.Count);
            return Enumerable.Range(0, f.Anomaly.Length).Select(i => d.Observe(f.Row(i)) >= options.AlertScore).ToArray();
        }).ToList();
        var points = SkabScorer.Points(files, predicted);
        var changes = SkabScorer.Changepoints(files, predicted, ScoringProfile.Standard);
        Assert.True(points.F1 > 0.78, $"F1 {points.F1:F3}");
        Assert.True(points.Far < 0.15, $"FAR {points.Far:P2}");
        Assert.True(changes.Normalized > 32.42, $"NAB standard {changes.Normalized:F2}");
    }
}
