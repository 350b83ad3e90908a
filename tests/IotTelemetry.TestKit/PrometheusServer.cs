using System.Globalization;
using System.Text.Json;

namespace IotTelemetry.TestKit;

/// <summary>
/// Debian's Prometheus on loopback, scraping one target's <c>/metrics</c> every second (temp config and TSDB):
/// an independent reader of what our hosts export, queried through its HTTP API.
/// </summary>
public sealed class PrometheusServer : LoopbackServer
{
    private readonly string _target;

    private PrometheusServer(string target) : base("/usr/bin/prometheus", "prometheus", "prometheus") => _target = target;

    protected override string ReadinessPath => "/-/ready";

    protected override IEnumerable<string> Arguments() =>
    [
        $"--config.file={Path.Combine(Directory, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(Directory, "data")}",
        $"--web.listen-address=127.0.0.1:{Port}", "--log.level=warn",
    ];

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (host:port on 127.0.0.1) at /metrics every second.</summary>
    public static async Task<PrometheusServer> StartNewAsync(string target)
    {
        var server = new PrometheusServer(target);
        await File.WriteAllTextAsync(Path.Combine(server.Directory, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: iott
                metrics_path: /metrics
                static_configs:
                  - targets: ["{server._target}"]
            """);
        await server.StartAsync();
        return server;
    }

    /// <summary>An instant query's samples: each series' labels and value (empty when nothing matches yet).</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promQl)
    {
        var body = await Http.GetStringAsync(Url + "/api/v1/query?query=" + Uri.EscapeDataString(promQl));
        using var doc = JsonDocument.Parse(body);
        var data = doc.RootElement.GetProperty("data");
        return [.. data.GetProperty("result").EnumerateArray().Select(r => (
            (IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }
}
