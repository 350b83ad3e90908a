namespace IotTelemetry.Eval.Scoring;

/// <summary>Point-wise outlier scores over the test parts of all files together.</summary>
/// <param name="F1">Harmonic mean of precision and recall.</param>
/// <param name="Far">False alarm rate, FP / (FP + TN).</param>
/// <param name="Mar">Missed alarm rate, FN / (FN + TP).</param>
public sealed record PointScores(double F1, double Far, double Mar, long Tp, long Fp, long Fn, long Tn);

/// <summary>
/// SKAB's own protocol (its README): the rows after <see cref="SkabFile.TrainingRows"/> of each file are scored
/// point-wise on <c>anomaly</c>, and changes of the predicted state are scored as changepoint detections with the
/// NAB rules, each true changepoint opening a window of <see cref="ChangepointWindowMicros"/> to its right.
/// </summary>
public static class SkabScorer
{
    public const long ChangepointWindowMicros = 60_000_000;

    /// <param name="predicted">Per file (same order as <paramref name="files"/>), the predicted anomaly of each row.</param>
    public static PointScores Points(IReadOnlyList<SkabFile> files, IReadOnlyList<bool[]> predicted)
    {
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (var f = 0; f < files.Count; f++)
            for (var i = SkabFile.TrainingRows; i < files[f].Anomaly.Length; i++)
            {
                var (truth, guess) = (files[f].Anomaly[i], predicted[f][i]);
                if (truth && guess) tp++;
                else if (guess) fp++;
                else if (truth) fn++;
                else tn++;
            }
        var f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        return new PointScores(f1, fp + tn == 0 ? 0 : (double)fp / (fp + tn), fn + tp == 0 ? 0 : (double)fn / (fn + tp), tp, fp, fn, tn);
    }

    /// <summary>NAB scores of the predicted changepoints (every row where the predicted state flips) over the test
    /// parts, without a probationary period (the training rows play that part).</summary>
    public static ProfileResult Changepoints(IReadOnlyList<SkabFile> files, IReadOnlyList<bool[]> predicted, ScoringProfile profile)
    {
        var corpus = new List<LabeledSeries>();
        for (var f = 0; f < files.Count; f++)
        {
            var file = files[f];
            var start = Math.Min(SkabFile.TrainingRows, file.Anomaly.Length);
            var ts = file.TimestampsMicros[start..];
            var scores = new double[ts.Length];
            for (var i = start; i < file.Anomaly.Length; i++)
                if (i > 0 && predicted[f][i] != predicted[f][i - 1]) scores[i - start] = 1;
            var windows = new List<LabelWindow>();
            for (var i = start; i < file.Changepoint.Length; i++)
            {
                if (!file.Changepoint[i]) continue;
                var t = file.TimestampsMicros[i];
                var end = t + ChangepointWindowMicros;
                if (windows.Count > 0 && windows[^1].EndMicros >= t) windows[^1] = windows[^1] with { EndMicros = end };
                else windows.Add(new LabelWindow(t, end));
            }
            corpus.Add(new LabeledSeries(file.Name, ts, scores, windows));
        }
        return NabScorer.ScoreAt(corpus, profile, 0.5, probation: false);
    }
}
