using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace IotTelemetry.Cloud.Influx;

/// <summary>
/// The InfluxDB HTTP API as the sink and the dashboard use it: line-protocol writes (API 1 or 2) and, for API 1,
/// InfluxQL queries. Credentials go in headers, never in URLs or messages.
/// </summary>
public sealed class InfluxClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly InfluxOptions _options;
    private readonly Uri _writeUri;

    public InfluxClient(InfluxOptions options)
    {
        _options = options;
        _http = new HttpClient { BaseAddress = new Uri(options.Url.TrimEnd('/') + "/"), Timeout = options.RequestTimeout };
        if (options.ApiVersion == 2)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", options.ResolvedToken);
        else if (!string.IsNullOrEmpty(options.Username))
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Username + ":" + options.ResolvedPassword)));
        _writeUri = options.ApiVersion == 2
            ? new Uri($"api/v2/write?org={Uri.EscapeDataString(options.Org!)}&bucket={Uri.EscapeDataString(options.Bucket!)}&precision=us", UriKind.Relative)
            : new Uri($"write?db={Uri.EscapeDataString(options.Database)}&precision=u"
                + (string.IsNullOrEmpty(options.RetentionPolicy) ? "" : "&rp=" + Uri.EscapeDataString(options.RetentionPolicy)), UriKind.Relative);
    }

    /// <summary>Writes line-protocol <paramref name="lines"/>; throws <see cref="InfluxWriteException"/> unless InfluxDB answered 204.</summary>
    public async Task WriteAsync(string lines, CancellationToken ct)
    {
        using var content = new StringContent(lines, Encoding.UTF8, "text/plain");
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(_writeUri, content, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new InfluxWriteException($"InfluxDB at {_options.Url} unreachable: {ex.Message}", isTransient: true, ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new InfluxWriteException($"InfluxDB at {_options.Url} did not answer within {_options.RequestTimeout.TotalSeconds} s", isTransient: true, ex);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NoContent || response.StatusCode == HttpStatusCode.OK) return;
            var body = await response.Content.ReadAsStringAsync(ct);
            var code = (int)response.StatusCode;
            var transient = code >= 500 || code == 429 || code == 404 && _options.ApiVersion == 1 && body.Contains("database not found", StringComparison.Ordinal);
            throw new InfluxWriteException($"InfluxDB write: expected 204, got {code} {Truncate(body)}", transient);
        }
    }

    /// <summary>API 1: <c>CREATE DATABASE</c> (a no-op when it exists).</summary>
    public async Task CreateDatabaseAsync(CancellationToken ct)
    {
        using var content = new FormUrlEncodedContent([new("q", $"CREATE DATABASE \"{_options.Database.Replace("\"", "\\\"")}\"")]);
        HttpResponseMessage response;
        try { response = await _http.PostAsync("query", content, ct); }
        catch (HttpRequestException ex) { throw new InfluxWriteException($"InfluxDB at {_options.Url} unreachable: {ex.Message}", true, ex); }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested) { throw new InfluxWriteException($"InfluxDB at {_options.Url} did not answer", true, ex); }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new InfluxWriteException($"InfluxDB CREATE DATABASE: expected 200, got {(int)response.StatusCode} {Truncate(await response.Content.ReadAsStringAsync(ct))}",
                    (int)response.StatusCode >= 500);
        }
    }

    /// <summary>API 1: runs an InfluxQL query against the database and returns the parsed JSON answer.</summary>
    public async Task<JsonDocument> QueryAsync(string influxQl, CancellationToken ct)
    {
        var uri = $"query?db={Uri.EscapeDataString(_options.Database)}&epoch=u&q={Uri.EscapeDataString(influxQl)}";
        using var response = await _http.GetAsync(uri, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new InfluxWriteException($"InfluxDB query: expected 200, got {(int)response.StatusCode} {Truncate(body)}", (int)response.StatusCode >= 500);
        return JsonDocument.Parse(body);
    }

    public void Dispose() => _http.Dispose();

    private static string Truncate(string s) => s.Length <= 200 ? s.Trim() : s[..200] + "...";
}
