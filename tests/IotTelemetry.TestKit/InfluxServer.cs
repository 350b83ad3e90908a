using System.Globalization;
using System.Net;
using System.Text.Json;

namespace IotTelemetry.TestKit;

/// <summary>
/// A real InfluxDB 1.x (Debian's <c>influxd</c>) on loopback ports, its data in a temp folder. It can be
/// killed and started again on the same port and data, as in an outage.
/// </summary>
public sealed class InfluxServer : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private ExternalProcess? _process;

    private InfluxServer(string directory, int port, int backupPort)
    {
        Directory = directory;
        Port = port;
        BackupPort = backupPort;
    }

    public string Directory { get; }
    public int Port { get; }
    public int BackupPort { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts influxd; fails with a clear message if it is not installed.</summary>
    public static async Task<InfluxServer> StartAsync()
    {
        if (!File.Exists("/usr/bin/influxd"))
            throw new InvalidOperationException("influxd not found: install InfluxDB 1.x with `apt-get install -y influxdb` (make test does)");
        var server = new InfluxServer(RepoPaths.NewTempDirectory("influx"), FreePort.Next(), FreePort.Next());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts influxd again (after <see cref="Kill"/>) on the same port and data; waits for /ping 204.</summary>
    public async Task RestartAsync()
    {
        var config = Path.Combine(Directory, "influxdb.conf");
        await File.WriteAllTextAsync(config, $"""
            reporting-enabled = false
            bind-address = "127.0.0.1:{BackupPort}"
            [meta]
              dir = "{Directory}/meta"
            [data]
              dir = "{Directory}/data"
              wal-dir = "{Directory}/wal"
              query-log-enabled = false
            [http]
              bind-address = "127.0.0.1:{Port}"
              log-enabled = false
            [logging]
              level = "warn"
            [monitor]
              store-enabled = false
            """);
        _process = ExternalProcess.Start("/usr/bin/influxd", ["run", "-config", config], Directory);
        await Wait.UntilAsync(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"influxd exited with {_process.ExitCode}:\n{_process.Output}");
            try
            {
                using var response = await Http.GetAsync(Url + "/ping");
                return response.StatusCode == HttpStatusCode.NoContent;
            }
            catch (HttpRequestException) { return false; }
        }, $"InfluxDB /ping 204 at {Url}");
    }

    /// <summary>SIGKILL, as in a crash: the HTTP port stops answering at once.</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>Runs an InfluxQL statement and returns the rows of its first series (empty when none).</summary>
    public async Task<IReadOnlyList<JsonElement[]>> QueryAsync(string database, string influxQl)
    {
        var uri = $"{Url}/query?db={Uri.EscapeDataString(database)}&epoch=u&q={Uri.EscapeDataString(influxQl)}";
        var body = await Http.GetStringAsync(uri);
        using var doc = JsonDocument.Parse(body);
        var result = doc.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("error", out var error)) throw new InvalidOperationException($"InfluxQL '{influxQl}': {error}");
        if (!result.TryGetProperty("series", out var series)) return [];
        var rows = new List<JsonElement[]>();
        foreach (var s in series.EnumerateArray())
            foreach (var row in s.GetProperty("values").EnumerateArray())
                rows.Add([.. row.EnumerateArray().Select(v => v.Clone())]);
        return rows;
    }

    /// <summary><c>SELECT COUNT(field) FROM measurement</c>; 0 when the database or measurement does not exist yet.</summary>
    public async Task<long> CountAsync(string database, string measurement, string field = "value")
    {
        try
        {
            var rows = await QueryAsync(database, $"SELECT COUNT(\"{field}\") FROM \"{measurement}\"");
            return rows.Count == 0 ? 0 : rows[0][1].GetInt64();
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            return 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"InfluxDB at {Url} in {Directory}");
}
