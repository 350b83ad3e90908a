using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Core.Exceptions;
using InfluxDB.Client.Writes;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Cloud.Influx;

/// <summary>
/// InfluxDB.Client's v2 write API as the sink uses it: one point per reading (measurement, tags
/// site/asset/sensor/quality/unit, field <c>value</c>, microsecond timestamp), failures sorted into worth retrying or
/// not. The token travels in the Authorization header only; no message carries it.
/// </summary>
public sealed class InfluxWriter : IDisposable
{
    private readonly InfluxOptions _options;
    private readonly InfluxDBClient _client;
    private readonly WriteApiAsync _write;

    public InfluxWriter(InfluxOptions options)
    {
        _options = options;
        _client = new InfluxDBClient(new InfluxDBClientOptions(options.Url)
        {
            Token = options.ResolvedToken,
            Org = options.Org,
            Bucket = options.Bucket,
            Timeout = options.RequestTimeout,
            VerifySslCallback = TrustOnly(options.CaFile),
        });
        _write = _client.GetWriteApiAsync();
    }

    /// <summary>The point for <paramref name="r"/>; null when its value is NaN or infinite (line protocol has no such numbers).</summary>
    public PointData? ToPoint(Reading r) => !double.IsFinite(r.Value) ? null
        : PointData.Measurement(_options.Measurement)
            .Tag("site", r.Site).Tag("asset", r.Asset).Tag("sensor", r.Sensor)
            .Tag("quality", r.Quality.ToString().ToLowerInvariant()).Tag("unit", r.Unit)
            .Field("value", r.Value)
            .Timestamp(r.TimestampMicros, WritePrecision.Us);

    /// <summary>Writes <paramref name="points"/>; throws <see cref="InfluxWriteException"/> unless the server accepted them.</summary>
    public void Write(List<PointData> points, CancellationToken ct)
    {
        try
        {
            _write.WritePointsAsync(points, _options.Bucket, _options.Org, ct).GetAwaiter().GetResult();
        }
        catch (HttpException ex)
        {
            // Malformed or oversized points are refused whatever the retries; everything else (down, 5xx, 429, 401/403
            // while a token is fixed, 404 while a bucket is created) may pass later.
            var transient = ex.Status is not (400 or 413 or 422);
            var what = ex.Status == 0 ? $"{_options.Url} unreachable" : $"{_options.Url} answered {ex.Status}";
            throw new InfluxWriteException($"write to {what}: {Truncate(ex.Message)}", transient, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException || ex is TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new InfluxWriteException($"write to {_options.Url} failed: {Truncate(ex.Message)}", isTransient: true, ex);
        }
    }

    public void Dispose() => _client.Dispose();

    private static string Truncate(string s) => s.Length <= 200 ? s.Trim() : s[..200] + "...";

    /// <summary>With <c>Influx:CaFile</c>: the server's chain must end at that CA (and its name match); otherwise the system's trust store decides.</summary>
    private static RemoteCertificateValidationCallback? TrustOnly(string? caFile)
    {
        if (string.IsNullOrEmpty(caFile)) return null;
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caFile);
        return (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(leaf);
        };
    }
}
