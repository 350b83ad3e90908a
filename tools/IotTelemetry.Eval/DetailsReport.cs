using System.Globalization;
using System.Text;
using IotTelemetry.Eval.Scoring;

namespace IotTelemetry.Eval;

/// <summary>Per-file outcome at one threshold: which windows were found, how early, and how many false positives.</summary>
internal static class DetailsReport
{
    public static string Build(IReadOnlyList<LabeledSeries> corpus, double threshold)
    {
        var text = new StringBuilder();
        foreach (var s in corpus)
        {
            var windowOfRow = s.WindowOfRows();
            var probation = s.ProbationRows;
            var found = new string[s.Windows.Count];
            Array.Fill(found, "miss");
            var fp = new List<int>();
            for (var i = probation; i < s.Scores.Length; i++)
            {
                if (s.Scores[i] < threshold) continue;
                var w = windowOfRow[i];
                if (w < 0) fp.Add(i);
                else if (found[w] == "miss")
                {
                    var first = Array.IndexOf(windowOfRow, w);
                    var last = Array.LastIndexOf(windowOfRow, w);
                    found[w] = string.Create(CultureInfo.InvariantCulture, $"{(double)(i - first) / (last - first + 1):F2}");
                }
            }
            text.Append(CultureInfo.InvariantCulture,
                $"{s.Name,-60} rows {s.Scores.Length,5} windows [{string.Join(' ', found)}] FP {fp.Count} at [{string.Join(' ', fp.Take(8))}]\n");
        }
        return text.ToString();
    }
}
