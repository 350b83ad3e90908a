using System.Globalization;

namespace IotTelemetry.Benchmarks;

/// <summary>One table per benchmark: what was measured, ours, the baseline, and the ratio.</summary>
internal static class Report
{
    public static void Table(string title, IEnumerable<(string Measure, string Ours, string Baseline, string Ratio)> rows)
    {
        var list = rows.ToList();
        string[] head = ["measure", "IotTelemetry", "baseline", "ratio"];
        var widths = Enumerable.Range(0, 4).Select(i => Math.Max(head[i].Length, list.Count == 0 ? 0 : list.Max(r => Cell(r, i).Length))).ToArray();
        Console.WriteLine();
        Console.WriteLine("## " + title);
        Console.WriteLine("| " + string.Join(" | ", head.Select((h, i) => h.PadRight(widths[i]))) + " |");
        Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var r in list) Console.WriteLine("| " + string.Join(" | ", Enumerable.Range(0, 4).Select(i => Cell(r, i).PadRight(widths[i]))) + " |");
    }

    private static string Cell((string, string, string, string) r, int i) => i switch { 0 => r.Item1, 1 => r.Item2, 2 => r.Item3, _ => r.Item4 };

    public static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture) + "/s";
    public static string Ratio(double ours, double baseline) => baseline <= 0 ? "n/a" : (ours / baseline).ToString("0.00", CultureInfo.InvariantCulture) + "x";
    public static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
