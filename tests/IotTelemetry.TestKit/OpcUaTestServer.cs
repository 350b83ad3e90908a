using System.Collections.Concurrent;
using System.Diagnostics;

namespace IotTelemetry.TestKit;

/// <summary>
/// The scriptable node-opcua server (tests/node/opcua-server.mjs) on a free loopback port, with its PKI in a temp folder.
/// Fails with a clear message when node or the npm packages are missing. Commands (set, status, stop, start) go to
/// its stdin; a restart reuses the port and the server certificate.
/// </summary>
public sealed class OpcUaTestServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _stdin = new(1, 1);
    private int _endpointLines;

    private OpcUaTestServer(Process process, int port, string pki)
    {
        _process = process;
        Port = port;
        PkiDirectory = pki;
    }

    public int Port { get; }
    public string PkiDirectory { get; }
    public string EndpointUrl => $"opc.tcp://127.0.0.1:{Port}/UA/Pump";
    public string Output => string.Join('\n', _lines);

    /// <param name="arguments">Extra arguments for the script, such as "--policies", "Basic256Sha256", "--users", "alice:secret".</param>
    public static async Task<OpcUaTestServer> StartAsync(params string[] arguments)
    {
        var script = Path.Combine(RepoPaths.NodePeers, "opcua-server.mjs");
        var package = Path.Combine(RepoPaths.NodePeers, "node_modules", "node-opcua-server", "package.json");
        if (!File.Exists(package))
            throw new InvalidOperationException(
                $"node-opcua is not installed: expected {package}. Run `npm ci` in {RepoPaths.NodePeers} (needs node-opcua-server 2.186.4).");
        var node = FindNode()
            ?? throw new InvalidOperationException("node (Node.js 20+) is not on PATH: the OPC UA tests need it to run the node-opcua server.");
        var port = FreePort.Next();
        var pki = RepoPaths.NewTempDirectory("opcua-pki");
        var info = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.NodePeers,
        };
        foreach (var a in (string[])[script, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--pki", pki, .. arguments])
            info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info };
        var server = new OpcUaTestServer(process, port, pki);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) server._lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server._lines.Enqueue(e.Data); };
        if (!process.Start()) throw new InvalidOperationException($"Could not start {node}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitForEndpointAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private async Task WaitForEndpointAsync()
    {
        var wanted = ++_endpointLines;
        await Wait.UntilAsync(() =>
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the OPC UA test server exited with {_process.ExitCode}. Output:\n{Output}");
            return _lines.Count(l => l.StartsWith("ENDPOINT ", StringComparison.Ordinal)) >= wanted;
        }, "the node-opcua server to print ENDPOINT", TimeSpan.FromSeconds(60));
    }

    private static string? FindNode()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "node");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Sets a variable's value (status Good, source timestamp now) and waits for the server to confirm.</summary>
    public Task SetAsync(string nodeId, string value) => CommandAsync($"set {nodeId} {value}", "SET " + nodeId);

    /// <summary>Sets a variable's status to Good, Uncertain or Bad, keeping its value.</summary>
    public Task SetStatusAsync(string nodeId, string status) => CommandAsync($"status {nodeId} {status}", "STATUS " + nodeId);

    /// <summary>Shuts the server down (the port closes) and waits until it has.</summary>
    public async Task StopAsync()
    {
        var before = _lines.Count(l => l == "STOPPED");
        await SendAsync("stop");
        await Wait.UntilAsync(() => _lines.Count(l => l == "STOPPED") > before, "the OPC UA test server to stop");
    }

    /// <summary>Starts it again on the same port and waits for its endpoint.</summary>
    public async Task RestartAsync()
    {
        await SendAsync("start");
        await WaitForEndpointAsync();
    }

    private async Task CommandAsync(string command, string confirmation)
    {
        var before = _lines.Count(l => l == confirmation);
        await SendAsync(command);
        await Wait.UntilAsync(() =>
        {
            if (_lines.Any(l => l.StartsWith("ERROR", StringComparison.Ordinal)))
                throw new InvalidOperationException($"the OPC UA test server refused '{command}':\n{Output}");
            return _lines.Count(l => l == confirmation) > before;
        }, $"the OPC UA test server to confirm '{command}'");
    }

    private async Task SendAsync(string line)
    {
        await _stdin.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }
        finally
        {
            _stdin.Release();
        }
    }

    /// <summary>SIGKILL, as in a crash.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }
        _process.Dispose();
        try
        {
            Directory.Delete(PkiDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
