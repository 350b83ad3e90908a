using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace IotTelemetry.Common.Metrics;

/// <summary>
/// The process's counters and gauges, exposed in the Prometheus text format at <c>/metrics</c>.
/// One instance per process, registered as a singleton.
/// </summary>
public sealed class MetricsRegistry
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new();
    private readonly ConcurrentDictionary<string, Gauge> _gauges = new();

    /// <summary>The counter <paramref name="name"/> with <paramref name="labels"/>, created on first use.</summary>
    public Counter Counter(string name, string help, params (string Key, string Value)[] labels)
    {
        var labelText = FormatLabels(labels);
        return _counters.GetOrAdd(name + "{" + labelText + "}", _ => new Counter(name, help, labelText));
    }

    public void Gauge(string name, string help, Func<double> read, params (string Key, string Value)[] labels)
    {
        var labelText = FormatLabels(labels);
        _gauges[name + "{" + labelText + "}"] = new Gauge(name, help, labelText, read);
    }

    /// <summary>Sum of every counter called <paramref name="name"/>, across label sets.</summary>
    public long Total(string name) => _counters.Values.Where(c => c.Name == name).Sum(c => c.Value);

    public string ToPrometheusText()
    {
        var sb = new StringBuilder();
        foreach (var group in _counters.Values.GroupBy(c => c.Name).OrderBy(g => g.Key))
        {
            sb.Append("# HELP ").Append(group.Key).Append(' ').Append(group.First().Help).Append('\n');
            sb.Append("# TYPE ").Append(group.Key).Append(" counter\n");
            foreach (var c in group.OrderBy(c => c.Labels))
                AppendSample(sb, c.Name, c.Labels, c.Value);
        }
        foreach (var group in _gauges.Values.GroupBy(g => g.Name).OrderBy(g => g.Key))
        {
            sb.Append("# HELP ").Append(group.Key).Append(' ').Append(group.First().Help).Append('\n');
            sb.Append("# TYPE ").Append(group.Key).Append(" gauge\n");
            foreach (var g in group.OrderBy(g => g.Labels))
                AppendSample(sb, g.Name, g.Labels, g.Value);
        }
        return sb.ToString();
    }

    private static void AppendSample(StringBuilder sb, string name, string labels, double value)
    {
        sb.Append(name);
        if (labels.Length > 0) sb.Append('{').Append(labels).Append('}');
        sb.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string FormatLabels((string Key, string Value)[] labels) =>
        string.Join(",", labels.Select(l => $"{l.Key}=\"{l.Value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\""));
}
