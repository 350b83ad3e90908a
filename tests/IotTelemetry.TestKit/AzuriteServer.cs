using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace IotTelemetry.TestKit;

/// <summary>
/// Azurite (npm <c>azurite</c>, Microsoft's Azure Storage emulator) serving the Blob API on 127.0.0.1 with its data in
/// a temp folder: one account with a key made for this run (<c>AZURITE_ACCOUNTS</c>), plain http or, with
/// <see cref="TestCertificates"/>, https with a certificate signed by the test CA. Killed on dispose.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private readonly TestCertificates? _tls;
    private ExternalProcess? _process;

    private AzuriteServer(TestCertificates? tls)
    {
        _tls = tls;
        Directory = RepoPaths.NewTempDirectory("azurite");
        Port = FreePort.Next();
        AccountKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
    }

    public static string Binary => Path.Combine(RepoPaths.NodePeers, "node_modules", ".bin", "azurite-blob");

    public string Directory { get; }
    public int Port { get; }
    public string AccountName => "iottlake";

    /// <summary>This run's account key (a secret for the tests that check it never reaches a log).</summary>
    public string AccountKey { get; }

    /// <summary>The account URL, path-style as an emulator serves it: <c>http://127.0.0.1:PORT/iottlake</c>.</summary>
    public string AccountUrl => string.Create(CultureInfo.InvariantCulture, $"{(_tls is null ? "http" : "https")}://127.0.0.1:{Port}/{AccountName}");

    public string ConnectionString =>
        $"DefaultEndpointsProtocol={(_tls is null ? "http" : "https")};AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={AccountUrl};";

    public string Output => _process?.Output ?? "";

    /// <summary>The cloud host's settings that put its lake in <paramref name="container"/> of this server.</summary>
    public Dictionary<string, string> LakeSettings(string container) => new()
    {
        ["Lake:Store:Kind"] = "azure",
        ["Lake:Store:ConnectionString"] = ConnectionString,
        ["Lake:Store:Container"] = container,
        ["Lake:Store:CreateContainer"] = "true",
    };

    public static async Task<AzuriteServer> StartNewAsync(TestCertificates? tls = null)
    {
        var server = new AzuriteServer(tls);
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} not found: install the test peers with `scripts/setup.sh test` (npm install in tests/node)");
        List<string> args = ["--blobHost", "127.0.0.1", "--blobPort", Port.ToString(CultureInfo.InvariantCulture), "--location", Directory,
            "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl"];
        if (_tls is not null) args.AddRange(["--cert", _tls.ServerCertificate, "--key", _tls.ServerKey]);
        var process = _process = ExternalProcess.Start(Binary, args, Directory,
            new Dictionary<string, string?> { ["AZURITE_ACCOUNTS"] = $"{AccountName}:{AccountKey}" });
        await Wait.UntilAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"{Binary} exited with {process.ExitCode}:\n{process.Output}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return process.Output.Contains("successfully listens", StringComparison.Ordinal);
            }
            catch (SocketException) { return false; }
        }, $"Azurite listening on 127.0.0.1:{Port}", TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _process = null;
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public override string ToString() => $"Azurite at {AccountUrl} in {Directory}";
}
