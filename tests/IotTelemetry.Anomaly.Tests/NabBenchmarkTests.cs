using IotTelemetry.Anomaly.Evaluation;
using IotTelemetry.TestKit;

namespace IotTelemetry.Anomaly.Tests;

/// <summary>The learned detector on the shared NAB series (51 files, about 296,000 readings; a few seconds).</summary>
public class NabBenchmarkTests
{
    [Fact]
    public void Learned_detector_scores_at_least_70_on_the_shared_nab_series_standard_profile()
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

        Assert.True(result.Normalized >= 70, $"standard profile score {result.Normalized:F1} (threshold {result.Threshold})");
    }
}
