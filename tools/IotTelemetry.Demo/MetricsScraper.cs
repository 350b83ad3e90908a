using System.Globalization;

namespace IotTelemetry.Demo;

/// <summary>Reads a host's /metrics (Prometheus text) for the progress line.</summary>
internal sealed class MetricsScraper(string baseUrl)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private Dictionary<string, double> _last = [];

    /// <summary>Sum of every sample of <paramref name="name"/> whose labels contain <paramref name="labelFilter"/>, from the last scrape.</summary>
    public double Get(string name, string? labelFilter = null) =>
        _last.Where(kv => (kv.Key == name || kv.Key.StartsWith(name + "{", StringComparison.Ordinal))
                          && (labelFilter is null || kv.Key.Contains(labelFilter, StringComparison.Ordinal)))
             .Sum(kv => kv.Value);

    public async Task<bool> ScrapeAsync(CancellationToken ct)
    {
        try
        {
            var text = await Http.GetStringAsync(baseUrl + "/metrics", ct);
            var values = new Dictionary<string, double>();
            foreach (var line in text.Split('\n'))
            {
                if (line.Length == 0 || line[0] == '#') continue;
                var space = line.LastIndexOf(' ');
                if (space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    values[line[..space]] = v;
            }
            _last = values;
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
