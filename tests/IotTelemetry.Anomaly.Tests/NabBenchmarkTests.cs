using IotTelemetry.Eval.Scoring;
using IotTelemetry.TestKit;

namespace IotTelemetry.Anomaly.Tests;

/// <summary>The learned detector on the shared NAB series (51 files, about 296,000 readings; a few seconds).</summary>
public class NabBenchmarkTests
{
    [Fact]
    public void Learned_detector_scores_above_ARTimes_77_on_the_shared_nab_series_standard_profile()
    {
        var files = NabCorpus.Load(RepoPaths.NabData, Path.Combine(RepoPaths.NabData, "combined_windows.json"), out _);
        Assert.Equal(51, files.Count);
        var options = new LearnedOptions();
        var corpus = files.Select(f =>
        {
            var detector = new LearnedDetector(options);
            var scores = new double[f.Values.Length];
            for (var i = 0; i < scores.Length; i++) scores[i] = detector.Score(f.TimestampsMicros[i], f.Values[i]);
            return new LabeledSeries(f.Name, f.TimestampsMicros, scores, f.Windows);
        }).ToList();

        var result = NabScorer.Score(corpus, ScoringProfile.Standard);

        // ARTime's published outputs rescored on these 51 series: 77.0 (see ../shared/data/nab/README.md).
        Assert.True(result.Normalized > 77.0, $"standard profile score {result.Normalized:F2} (threshold {result.Threshold})");
    }

    [Fact]
    public void Learned_detector_reports_a_lasting_cpu_event_once_and_not_again_when_the_suppression_runs_out()
    {
        // rds_cpu_utilization_cc0c53: a labeled CPU event around row 3080 whose effects last well past 110 readings.
        var file = NabCorpus.Load(RepoPaths.NabData, Path.Combine(RepoPaths.NabData, "combined_windows.json"), out _)
            .Single(f => f.Name.EndsWith("rds_cpu_utilization_cc0c53.csv", StringComparison.Ordinal));

        List<int> Reports(LearnedOptions options)
        {
            var d = new LearnedDetector(options);
            var rows = new List<int>();
            for (var i = 0; i < file.Values.Length; i++)
                if (d.Score(file.TimestampsMicros[i], file.Values[i]) >= options.AlertScore && i >= 3000 && i < 3400) rows.Add(i);
            return rows;
        }

        var held = Reports(new LearnedOptions());
        var unheld = Reports(new LearnedOptions { SuppressionHold = 0 });

        Assert.Single(held);
        Assert.True(unheld.Count > 1, $"without the hold: reports at {string.Join(' ', unheld)}");
    }
}
