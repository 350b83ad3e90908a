using System.Globalization;
using IotTelemetry.Anomaly;
using IotTelemetry.Eval.Scoring;

namespace IotTelemetry.Eval;

/// <summary>The multivariate detector on SKAB in the benchmark's own protocol, beside its published figures.</summary>
internal static class SkabRun
{
    public static void Execute(string directory, IReadOnlyDictionary<string, string> parameters, TextWriter console)
    {
        var files = SkabFile.LoadAll(directory);
        var options = ScorerFactory.Apply(new MultivariateOptions { WarmUp = SkabFile.TrainingRows }, parameters);
        var predicted = files.Select(f => Predict(f, options)).ToList();
        var points = SkabScorer.Points(files, predicted);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SKAB {directory}: {files.Count} files, multivariate (PCA T²+Q) detector, first {SkabFile.TrainingRows} rows of each file for training"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  outliers     F1 {points.F1:F3}  FAR {100 * points.Far:F2} %  MAR {100 * points.Mar:F2} %  (TP {points.Tp} FP {points.Fp} FN {points.Fn} TN {points.Tn})"));
        console.WriteLine("               published (full SKAB): Conv-AE F1 0.78 FAR 13.55 % MAR 28.02 %; MSET 0.78 (39.73 %, 14.13 %); T-squared+Q 0.76 (26.62 %, 24.92 %)");
        foreach (var p in ScoringProfile.Defaults)
        {
            var r = SkabScorer.Changepoints(files, predicted, p);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  changepoints {p.Name,-20} NAB {r.Normalized,6:F2}  (TP {r.TruePositives} FN {r.FalseNegatives} FP {r.FalsePositives})"));
        }
        console.WriteLine("               published (full SKAB), NAB standard: MSCRED 32.42, Isolation forest 26.16, T-squared+Q 25.35, Conv-AE 23.61");
        var free = Path.Combine(directory, "anomaly-free", "anomaly-free.csv");
        if (File.Exists(free)) AnomalyFree(SkabFile.Read(free, "anomaly-free/anomaly-free.csv"), options, console);
    }

    /// <summary>Rows of one run cut from the anomaly-free file: about a labelled file's length.</summary>
    private const int RunRows = 1150;

    /// <summary>The anomaly-free file cut into runs of <see cref="RunRows"/>, each fitted on its first
    /// <see cref="SkabFile.TrainingRows"/> and scored on the rest, where every alarm is false.</summary>
    private static void AnomalyFree(SkabFile file, MultivariateOptions options, TextWriter console)
    {
        long alarms = 0, scored = 0;
        for (var start = 0; start + RunRows <= file.Anomaly.Length; start += RunRows)
        {
            var detector = new PcaDetector(options, file.Sensors.Count);
            for (var i = 0; i < RunRows; i++)
            {
                var alarm = detector.Observe(file.Row(start + i)) >= options.AlertScore;
                if (i < SkabFile.TrainingRows) continue;
                scored++;
                if (alarm) alarms++;
            }
        }
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  anomaly-free {scored / (RunRows - SkabFile.TrainingRows)} runs of {RunRows} rows (first {SkabFile.TrainingRows} for training): FAR {100.0 * alarms / Math.Max(1, scored):F2} % ({alarms} of {scored} rows)"));
    }

    private static bool[] Predict(SkabFile file, MultivariateOptions options)
    {
        var detector = new PcaDetector(options, file.Sensors.Count);
        var result = new bool[file.Anomaly.Length];
        for (var i = 0; i < result.Length; i++) result[i] = detector.Observe(file.Row(i)) >= options.AlertScore;
        return result;
    }
}
