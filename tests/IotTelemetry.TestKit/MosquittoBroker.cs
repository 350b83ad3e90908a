using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace IotTelemetry.TestKit;

/// <summary>
/// A real Eclipse Mosquitto on 127.0.0.1 for one test (class): a free port, its own temp folder, optional
/// password file, TLS listener and persistence. It can be stopped and started again on the same ports with
/// the same persistence folder, and is killed on dispose. Fails with a clear message when mosquitto is missing.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly MosquittoOptions _options;
    private ExternalProcess? _process;
    private readonly StringBuilder _previousOutput = new();

    private MosquittoBroker(MosquittoOptions options, string directory)
    {
        _options = options;
        Directory = directory;
    }

    public string Host => "127.0.0.1";
    public int Port { get; private set; }

    /// <summary>The TLS listener's port, 0 without <see cref="MosquittoOptions.Tls"/>.</summary>
    public int TlsPort { get; private set; }

    /// <summary>PEM of the CA that signed the broker's certificate (TLS only).</summary>
    public string? CaFile => _options.Tls?.CaCertificate;

    public string Directory { get; }
    public string ConfigFile => Path.Combine(Directory, "mosquitto.conf");
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The broker's process id while it runs (benchmarks sample its memory), otherwise 0.</summary>
    public int ProcessId => _process is { HasExited: false } p ? p.Id : 0;

    /// <summary>Everything mosquitto logged, across restarts.</summary>
    public string Output => _previousOutput + (_process?.Output ?? "");

    public static string Executable { get; } = FindExecutable();

    /// <summary>Starts a broker; retries with another port if the free port was taken meanwhile.</summary>
    public static async Task<MosquittoBroker> StartAsync(MosquittoOptions? options = null)
    {
        options ??= new MosquittoOptions();
        if (!File.Exists(Executable))
            throw new InvalidOperationException(
                $"mosquitto is not installed (looked for {Executable}); install it with: apt-get install -y mosquitto mosquitto-clients");
        var broker = new MosquittoBroker(options, RepoPaths.NewTempDirectory("mosquitto"));
        try
        {
            await broker.PrepareAsync();
            for (var attempt = 1; ; attempt++)
            {
                broker.Port = FreePort.Next();
                broker.TlsPort = options.Tls is null ? 0 : FreePort.Next();
                try
                {
                    await broker.StartAsync();
                    return broker;
                }
                catch (InvalidOperationException) when (attempt < 3 && broker.Output.Contains("Address already in use", StringComparison.Ordinal))
                {
                    await broker.StopAsync(graceful: false);
                }
            }
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts mosquitto (again) on the same ports and folder; waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (IsRunning) throw new InvalidOperationException("mosquitto is already running");
        await File.WriteAllTextAsync(ConfigFile, BuildConfig());
        if (_process is not null)
        {
            _previousOutput.AppendLine(_process.Output);
            await _process.DisposeAsync();
        }
        _process = ExternalProcess.Start(Executable, ["-c", ConfigFile], Directory);
        await _process.WaitForLineAsync(" running", TimeSpan.FromSeconds(20));
        await Wait.UntilAsync(() => CanConnect(Port) && (TlsPort == 0 || CanConnect(TlsPort)), $"mosquitto accepting on port {Port}",
            TimeSpan.FromSeconds(20));
    }

    /// <summary>
    /// Stops mosquitto. Graceful (SIGTERM) lets it write its persistence file, like a service restart;
    /// otherwise SIGKILL, like a crash.
    /// </summary>
    public async Task StopAsync(bool graceful = true)
    {
        if (_process is null || _process.HasExited) return;
        if (graceful && SendSignal(_process.Id, SigTerm) == 0)
        {
            try
            {
                await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
                return;
            }
            catch (OperationCanceledException)
            {
            }
        }
        _process.Kill();
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    public async Task RestartAsync(bool graceful = true)
    {
        await StopAsync(graceful);
        await StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is not null) await _process.DisposeAsync();
        }
        catch (Exception)
        {
        }
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (Exception) { }
    }

    private async Task PrepareAsync()
    {
        if (_options.Users is null) return;
        var file = Path.Combine(Directory, "passwords");
        await File.WriteAllTextAsync(file, "");
        foreach (var (user, password) in _options.Users)
        {
            await using var tool = ExternalProcess.Start("mosquitto_passwd", ["-b", file, user, password], Directory);
            var code = await tool.WaitForExitAsync(TimeSpan.FromSeconds(20));
            if (code != 0) throw new InvalidOperationException($"mosquitto_passwd -b failed with {code}: {tool.Output}");
        }
    }

    private string BuildConfig()
    {
        var c = new StringBuilder();
        c.AppendLine("user root");
        c.AppendLine("log_dest stderr");
        c.AppendLine("log_type error");
        c.AppendLine("log_type warning");
        c.AppendLine("log_type notice");
        c.AppendLine("log_type information");
        c.AppendLine("connection_messages true");
        c.AppendLine($"max_inflight_messages {_options.MaxInflightMessages}");
        c.AppendLine($"max_queued_messages {_options.MaxQueuedMessages}");
        if (_options.Persistence)
        {
            c.AppendLine("persistence true");
            c.AppendLine($"persistence_location {Directory}/");
            c.AppendLine("autosave_interval 1");
        }
        else
        {
            c.AppendLine("persistence false");
        }
        if (_options.Users is not null)
        {
            c.AppendLine("allow_anonymous false");
            c.AppendLine($"password_file {Path.Combine(Directory, "passwords")}");
        }
        else
        {
            c.AppendLine("allow_anonymous true");
        }
        if (_options.AclRules is not null)
        {
            var acl = Path.Combine(Directory, "acl");
            File.WriteAllLines(acl, _options.AclRules);
            c.AppendLine($"acl_file {acl}");
        }
        c.AppendLine($"listener {Port} 127.0.0.1");
        if (_options.Tls is { } tls)
        {
            c.AppendLine($"listener {TlsPort} 127.0.0.1");
            c.AppendLine($"cafile {tls.CaCertificate}");
            c.AppendLine($"certfile {tls.ServerCertificate}");
            c.AppendLine($"keyfile {tls.ServerKey}");
            c.AppendLine($"require_certificate {(_options.RequireClientCertificate ? "true" : "false")}");
        }
        foreach (var line in _options.ExtraConfig) c.AppendLine(line);
        return c.ToString();
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string FindExecutable()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/local/sbin"))
        {
            if (dir.Length == 0) continue;
            var path = Path.Combine(dir, "mosquitto");
            if (File.Exists(path)) return path;
        }
        return "/usr/sbin/mosquitto";
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
