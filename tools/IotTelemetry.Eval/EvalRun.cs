using System.Diagnostics;
using System.Globalization;
using System.Text;
using IotTelemetry.Anomaly.Evaluation;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Eval;

/// <summary>Streams every CSV under the data directory through a fresh detector, writes the scored rows, prints the scores.</summary>
internal static class EvalRun
{
    public static int Execute(EvalArguments a, TextWriter console)
    {
        if (!Directory.Exists(a.Data)) throw new ArgumentException($"--data: expected a directory, got '{a.Data}'");
        var windows = NabFiles.ReadWindows(a.Labels);
        var profiles = a.Profiles is null ? ScoringProfile.Defaults : NabFiles.ReadProfiles(a.Profiles);
        var factory = ScorerFactory.For(a.Detector, a.Parameters);

        var files = Directory.EnumerateFiles(a.Data, "*.csv", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(a.Data, f).Replace('\\', '/'))
            .Where(f => windows.ContainsKey(f))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) throw new ArgumentException($"--data: no CSV under '{a.Data}' is named in '{a.Labels}'");

        var corpus = new List<LabeledSeries>();
        long readings = 0;
        var detecting = new Stopwatch();
        foreach (var file in files)
        {
            var (ts, values) = NabFiles.ReadSeries(Path.Combine(a.Data, file));
            var category = Path.GetDirectoryName(file)?.Replace('\\', '/') ?? "";
            var sensor = Path.GetFileNameWithoutExtension(file);
            var inputs = new Reading[ts.Length];
            for (var i = 0; i < ts.Length; i++)
                inputs[i] = new Reading("nab", category, sensor, ts[i], values[i], Quality.Good, "", "file:" + file, ts[i]);

            var score = factory();
            var scores = new double[ts.Length];
            detecting.Start();
            for (var i = 0; i < inputs.Length; i++) scores[i] = score(inputs[i]);
            detecting.Stop();
            readings += ts.Length;

            var series = new LabeledSeries(file, ts, scores, windows[file]);
            corpus.Add(series);
            WriteScored(Path.Combine(a.Out, a.Detector, category, a.Detector + "_" + Path.GetFileName(file)), series, values);
        }

        console.WriteLine($"detector {a.Detector}: {files.Count} files, {readings} readings, " +
            $"{readings / Math.Max(1e-9, detecting.Elapsed.TotalSeconds):N0} readings/s");
        var results = NabScorer.Score(corpus, profiles);
        File.WriteAllText(Path.Combine(a.Out, a.Detector, "details.txt"), DetailsReport.Build(corpus, results[0].Threshold));
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
