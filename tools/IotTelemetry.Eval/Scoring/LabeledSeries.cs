namespace IotTelemetry.Eval.Scoring;

/// <summary>One labeled series: its row timestamps, the detector's score per row and the anomaly windows.</summary>
/// <param name="Name">The series name, e.g. <c>realTweets/Twitter_volume_AAPL.csv</c>.</param>
/// <param name="TimestampsMicros">Row timestamps in ascending order.</param>
/// <param name="Scores">The anomaly score of each row, in [0, 1].</param>
/// <param name="Windows">Labeled windows, inclusive at both ends, in ascending order.</param>
public sealed record LabeledSeries(string Name, long[] TimestampsMicros, double[] Scores, IReadOnlyList<LabelWindow> Windows)
{
    /// <summary>The number of leading rows whose detections are ignored: 15% of the rows, at most 750.</summary>
    public int ProbationRows => NabScorer.ProbationRows(TimestampsMicros.Length);

    /// <summary>The window index of each row, or -1 outside every window.</summary>
    public int[] WindowOfRows()
    {
        var result = new int[TimestampsMicros.Length];
        var w = 0;
        for (var i = 0; i < result.Length; i++)
        {
            var t = TimestampsMicros[i];
            while (w < Windows.Count && t > Windows[w].EndMicros) w++;
            result[i] = w < Windows.Count && t >= Windows[w].StartMicros ? w : -1;
        }
        return result;
    }
}
