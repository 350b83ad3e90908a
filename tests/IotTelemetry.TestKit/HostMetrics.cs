using System.Globalization;

namespace IotTelemetry.TestKit;

/// <summary>Reads one of our hosts' /metrics endpoints (Prometheus text).</summary>
public sealed class HostMetrics(string baseUrl)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public string BaseUrl { get; } = baseUrl;

    /// <summary>Sum of the samples of <paramref name="name"/> whose label text contains <paramref name="labels"/>; 0 when the host is not up yet.</summary>
    public async Task<double> GetAsync(string name, string? labels = null)
    {
        string text;
        try { text = await Http.GetStringAsync(BaseUrl + "/metrics"); }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { return 0; }
        double sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.LastIndexOf(' ');
            if (space <= 0) continue;
            var series = line[..space];
            if (series != name && !series.StartsWith(name + "{", StringComparison.Ordinal)) continue;
            if (labels is not null && !series.Contains(labels, StringComparison.Ordinal)) continue;
            sum += double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return sum;
    }

    public Task WaitForAsync(string name, double atLeast, TimeSpan? timeout = null, string? labels = null) =>
        Wait.UntilAsync(async () => await GetAsync(name, labels) >= atLeast, $"{name}{labels} >= {atLeast} at {BaseUrl}", timeout);
}
