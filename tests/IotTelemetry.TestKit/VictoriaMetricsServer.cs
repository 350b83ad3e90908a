using System.Text.Json;

namespace IotTelemetry.TestKit;

/// <summary>
/// Debian's VictoriaMetrics on loopback: a real server of the InfluxDB v2 write API (<c>/api/v2/write</c>), read back
/// through <c>/api/v1/export</c>. A measurement's field <c>f</c> becomes the metric <c>measurement_f</c>, tags become
/// labels, timestamps are kept in milliseconds. Retention is 100 years, so test timestamps of any recent date are kept.
/// </summary>
public sealed class VictoriaMetricsServer(params string[] extraArguments) : LoopbackServer("/usr/bin/victoria-metrics", "victoria-metrics", "victoria")
{
    protected override string ReadinessPath => "/health";

    protected override IEnumerable<string> Arguments() =>
    [
        $"-storageDataPath={Directory}", $"-httpListenAddr=127.0.0.1:{Port}", "-retentionPeriod=100y", "-loggerLevel=ERROR",
        .. extraArguments,
    ];

    public static async Task<VictoriaMetricsServer> StartNewAsync(params string[] extraArguments)
    {
        var server = new VictoriaMetricsServer(extraArguments);
        await server.StartAsync();
        return server;
    }

    /// <summary>Every sample of the series matching <paramref name="match"/> (a series selector), as VictoriaMetrics exports them.</summary>
    public async Task<IReadOnlyList<ExportedSeries>> ExportAsync(string match)
    {
        using var form = new FormUrlEncodedContent([new("match[]", match)]);
        using var response = await Http.PostAsync(Url + "/api/v1/export", form);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"export {match}: {(int)response.StatusCode} {body}");
        var series = new List<ExportedSeries>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var labels = root.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
            var values = root.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToList();
            var timestamps = root.GetProperty("timestamps").EnumerateArray().Select(v => v.GetInt64()).ToList();
            series.Add(new ExportedSeries(labels, [.. timestamps.Zip(values)]));
        }
        return series;
    }

    /// <summary>Number of samples matching <paramref name="match"/>; 0 while the server is down.</summary>
    public async Task<long> CountAsync(string match)
    {
        try { return (await ExportAsync(match)).Sum(s => (long)s.Samples.Count); }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { return 0; }
    }
}

/// <summary>One exported series: its labels (<c>__name__</c> included) and its samples (unix ms, value).</summary>
public sealed record ExportedSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(long TimestampMs, double Value)> Samples);
