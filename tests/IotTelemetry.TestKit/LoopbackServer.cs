using System.Diagnostics;
using System.Runtime.InteropServices;

namespace IotTelemetry.TestKit;

/// <summary>
/// A Debian server binary run by a test on 127.0.0.1 with its data in a temp folder: started, waited for until its
/// readiness URL answers 2xx, stopped gracefully (SIGTERM) or killed, started again on the same port and data.
/// </summary>
public abstract class LoopbackServer : IAsyncDisposable
{
    protected static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _binary;
    private readonly string _package;
    private ExternalProcess? _process;

    protected LoopbackServer(string binary, string package, string prefix)
    {
        _binary = binary;
        _package = package;
        Directory = RepoPaths.NewTempDirectory(prefix);
        Port = FreePort.Next();
    }

    public string Directory { get; }
    public int Port { get; }
    public virtual string Url => $"http://127.0.0.1:{Port}";
    public bool IsRunning => _process is { HasExited: false };
    public string Output => _process?.Output ?? "";

    protected abstract IEnumerable<string> Arguments();

    protected abstract string ReadinessPath { get; }

    /// <summary>The client the fixture reads the server with (one that trusts the test CA for a TLS server).</summary>
    protected virtual HttpClient Client => Http;

    /// <summary>Starts the server (again, after a stop) on the same port and data; fails clearly when it is not installed.</summary>
    public async Task StartAsync()
    {
        if (!File.Exists(_binary))
            throw new InvalidOperationException($"{_binary} not found: install it with `apt-get install -y {_package}` (scripts/setup.sh test does)");
        var process = _process = ExternalProcess.Start(_binary, Arguments(), Directory);
        await Wait.UntilAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"{_binary} exited with {process.ExitCode}:\n{process.Output}");
            try
            {
                using var response = await Client.GetAsync(Url + ReadinessPath);
                return response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { return false; }
        }, $"{_binary} ready at {Url}{ReadinessPath}", TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGTERM, as in an orderly restart: the server flushes what it acknowledged, then exits.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _ = Kill(_process.Id, 15);
        try { await _process.WaitForExitAsync(TimeSpan.FromSeconds(30)); }
        catch (OperationCanceledException) { }
        await _process.DisposeAsync();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _process = null;
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        GC.SuppressFinalize(this);
    }

    public override string ToString() => $"{Path.GetFileName(_binary)} at {Url} in {Directory}";

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
