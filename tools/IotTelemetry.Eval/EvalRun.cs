using System.Diagnostics;
using System.Globalization;
using System.Text;
using IotTelemetry.Anomaly.Evaluation;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Eval;

/// <summary>Streams every labeled CSV through a fresh detector as live readings, writes the scored rows, prints the scores.</summary>
internal static class EvalRun
{
    public static int Execute(EvalArguments a, TextWriter console)
    {
        var files = NabCorpus.Load(a.Data, a.Labels, out var skipped);
        foreach (var s in skipped) Console.Error.WriteLine($"skipped {s}: not named in {a.Labels}");
        var profiles = a.Profiles is null ? ScoringProfile.Defaults : NabFiles.ReadProfiles(a.Profiles);
        var factory = ScorerFactory.For(a.Detector, a.Parameters);

        var corpus = new List<LabeledSeries>();
        long readings = 0;
        var detecting = new Stopwatch();
        foreach (var file in files)
        {
            var ts = file.TimestampsMicros;
            var inputs = new Reading[ts.Length];
            for (var i = 0; i < ts.Length; i++)
                inputs[i] = new Reading("nab", file.Category, file.Stem, ts[i], file.Values[i], Quality.Good, "", "file:" + file.Name, ts[i]);

            var score = factory();
            var scores = new double[ts.Length];
            detecting.Start();
            for (var i = 0; i < inputs.Length; i++) scores[i] = score(inputs[i]);
            detecting.Stop();
            readings += ts.Length;

            var series = new LabeledSeries(file.Name, ts, scores, file.Windows);
            corpus.Add(series);
            WriteScored(Path.Combine(a.Out, a.Detector, file.Category, a.Detector + "_" + Path.GetFileName(file.Name)), series, file.Values);
        }

        var results = NabScorer.Score(corpus, profiles);
        File.WriteAllText(Path.Combine(a.Out, a.Detector, "details.txt"), DetailsReport.Build(corpus, results[0].Threshold));
        console.WriteLine($"detector {a.Detector}: {files.Count} files, {readings} readings, " +
            $"{readings / Math.Max(1e-9, detecting.Elapsed.TotalSeconds):N0} readings/s");
        foreach (var r in results)
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Profile.Name,-20} score {r.Normalized,6:F1}  threshold {r.Threshold:G6}  raw {r.Raw:F2}  null {r.Null:F2}  perfect {r.Perfect:F2}  TP {r.TruePositives} FN {r.FalseNegatives} FP {r.FalsePositives}"));
        return 0;
    }

    private static void WriteScored(string path, LabeledSeries series, double[] values)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var windowOfRow = series.WindowOfRows();
        var text = new StringBuilder("timestamp,value,anomaly_score,label\n");
        for (var i = 0; i < values.Length; i++)
            text.Append(CultureInfo.InvariantCulture,
                $"{NabFiles.FormatTimestamp(series.TimestampsMicros[i])},{values[i]:R},{series.Scores[i]:R},{(windowOfRow[i] >= 0 ? 1 : 0)}\n");
        File.WriteAllText(path, text.ToString());
    }
}
