using System.Diagnostics;
using System.Globalization;
using System.Text;
using IotTelemetry.Eval.Scoring;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Eval;

/// <summary>Streams every labeled CSV through a fresh detector as live readings, writes the scored rows, prints the scores.</summary>
internal static class EvalRun
{
    public static int Execute(EvalArguments a, TextWriter console)
    {
        if (a.Data.Length > 0) Nab(a, console);
        if (a.Skab is not null) SkabRun.Execute(a.Skab, a.MultivariateParameters, console);
        return 0;
    }

    private static void Nab(EvalArguments a, TextWriter console)
    {
        var files = NabCorpus.Load(a.Data, a.Labels, out var skipped);
        foreach (var s in skipped) Console.Error.WriteLine($"skipped {s}: not named in {a.Labels}");
        var profiles = a.Profiles is null ? ScoringProfile.Defaults : NabFiles.ReadProfiles(a.Profiles);
        var detecting = new Stopwatch();
        var corpus = ScoreAll(files, ScorerFactory.For(a.Detector, a.Parameters), detecting, out var readings);
        foreach (var (file, series) in files.Zip(corpus))
            WriteScored(Path.Combine(a.Out, a.Detector, file.Category, a.Detector + "_" + Path.GetFileName(file.Name)), series, file.Values);

        var results = NabScorer.Score(corpus, profiles);
        File.WriteAllText(Path.Combine(a.Out, a.Detector, "details.txt"), DetailsReport.Build(corpus, results[0].Threshold));
        console.WriteLine($"detector {a.Detector}: {files.Count} files, {readings} readings, " +
            $"{readings / Math.Max(1e-9, detecting.Elapsed.TotalSeconds):N0} readings/s");
        console.WriteLine("in-sample (threshold chosen on all series):");
        foreach (var r in results) console.WriteLine(Line(r));
        console.WriteLine("cross-validated (leave one category out: threshold chosen on the other categories):");
        foreach (var p in profiles) console.WriteLine(Line(NabScorer.CrossValidate(corpus, p, NabScorer.Category)));
        if (a.Tune.Count > 0) CrossValidateTuned(a, files, profiles, console);
    }

    /// <summary>Every combination of the <c>--tune</c> values, each scored on every file; then leave one category
    /// out choosing combination and threshold on the other categories.</summary>
    private static void CrossValidateTuned(EvalArguments a, IReadOnlyList<LabeledFile> files, IReadOnlyList<ScoringProfile> profiles, TextWriter console)
    {
        IEnumerable<Dictionary<string, string>> grid = [new Dictionary<string, string>(a.Parameters, StringComparer.OrdinalIgnoreCase)];
        foreach (var (name, values) in a.Tune)
            grid = grid.SelectMany(g => values.Select(v => new Dictionary<string, string>(g, StringComparer.OrdinalIgnoreCase) { [name] = v }));
        var settings = grid.ToList();
        var candidates = settings.Select(p => (IReadOnlyList<LabeledSeries>)ScoreAll(files, ScorerFactory.For(a.Detector, p), new Stopwatch(), out _)).ToList();
        string Describe(int c) => string.Join(' ', a.Tune.Keys.Select(k => k + "=" + settings[c][k]));
        console.WriteLine($"cross-validated with {string.Join(", ", a.Tune.Keys)} also chosen on the other categories ({settings.Count} settings):");
        foreach (var p in profiles)
        {
            console.WriteLine(Line(NabScorer.CrossValidate(candidates, p, NabScorer.Category, out var chosen)));
            console.WriteLine("    chosen: " + string.Join("; ", chosen.Select(c => $"{c.Group} {Describe(c.Candidate)}")));
        }
        for (var c = 0; c < candidates.Count; c++)
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    in-sample standard {NabScorer.Score(candidates[c], ScoringProfile.Standard).Normalized,6:F1} at {Describe(c)}"));
    }

    private static List<LabeledSeries> ScoreAll(IReadOnlyList<LabeledFile> files, Func<Func<Reading, double>> factory, Stopwatch detecting, out long readings)
    {
        var corpus = new List<LabeledSeries>();
        readings = 0;
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
            corpus.Add(new LabeledSeries(file.Name, ts, scores, file.Windows));
        }
        return corpus;
    }

    private static string Line(ProfileResult r) => string.Create(CultureInfo.InvariantCulture,
        $"  {r.Profile.Name,-20} score {r.Normalized,6:F1}  threshold {r.Threshold:G6}  raw {r.Raw:F2}  null {r.Null:F2}  perfect {r.Perfect:F2}  TP {r.TruePositives} FN {r.FalseNegatives} FP {r.FalsePositives}");

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
