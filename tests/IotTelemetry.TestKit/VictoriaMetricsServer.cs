using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace IotTelemetry.TestKit;

/// <summary>
/// Debian's VictoriaMetrics on loopback: a real server of the InfluxDB v2 write API (<c>/api/v2/write</c>), read back
/// through <c>/api/v1/export</c>. A measurement's field <c>f</c> becomes the metric <c>measurement_f</c>, tags become
/// labels, timestamps are kept in milliseconds. Retention is 100 years, so test timestamps of any recent date are kept.
/// </summary>
public sealed class VictoriaMetricsServer : LoopbackServer
{
    private readonly string[] _extraArguments;
    private readonly TestCertificates? _tls;
    private readonly HttpClient _client;

    private VictoriaMetricsServer(TestCertificates? tls, string[] extraArguments) : base("/usr/bin/victoria-metrics", "victoria-metrics", "victoria")
    {
        _tls = tls;
        _extraArguments = extraArguments;
        _client = tls is null ? Http : TrustingOnly(tls.CaCertificate);
    }

    public override string Url => _tls is null ? base.Url : $"https://127.0.0.1:{Port}";

    protected override string ReadinessPath => "/health";

    protected override HttpClient Client => _client;

    protected override IEnumerable<string> Arguments() =>
    [
        $"-storageDataPath={Directory}", $"-httpListenAddr=127.0.0.1:{Port}", "-retentionPeriod=100y", "-loggerLevel=ERROR",
        .. _tls is null ? Array.Empty<string>() : ["-tls", $"-tlsCertFile={_tls.ServerCertificate}", $"-tlsKeyFile={_tls.ServerKey}"],
        .. _extraArguments,
    ];

    public static Task<VictoriaMetricsServer> StartNewAsync(params string[] extraArguments) => StartNewAsync(null, extraArguments);

    /// <summary>With <paramref name="tls"/>: https only, with its server certificate (for 127.0.0.1), signed by its CA.</summary>
    public static async Task<VictoriaMetricsServer> StartNewAsync(TestCertificates? tls, params string[] extraArguments)
    {
        var server = new VictoriaMetricsServer(tls, extraArguments);
        await server.StartAsync();
        return server;
    }

    /// <summary>Every sample of the series matching <paramref name="match"/> (a series selector), as VictoriaMetrics exports them.</summary>
    public async Task<IReadOnlyList<ExportedSeries>> ExportAsync(string match)
    {
        using var form = new FormUrlEncodedContent([new("match[]", match)]);
        using var response = await Client.PostAsync(Url + "/api/v1/export", form);
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

    /// <summary>A client that accepts a server certificate only when it chains to <paramref name="caFile"/>.</summary>
    private static HttpClient TrustingOnly(string caFile)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caFile);
        return new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, chain, _) =>
            {
                if (certificate is null || chain is null) return false;
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        }) { Timeout = TimeSpan.FromSeconds(10) };
    }
}

/// <summary>One exported series: its labels (<c>__name__</c> included) and its samples (unix ms, value).</summary>
public sealed record ExportedSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(long TimestampMs, double Value)> Samples);
