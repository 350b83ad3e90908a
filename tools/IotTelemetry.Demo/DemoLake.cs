using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using IotTelemetry.Lake;

namespace IotTelemetry.Demo;

/// <summary>
/// Where `make run` keeps the lake: a directory in DATA_DIR, or with LAKE=azurite a container of Azurite (Microsoft's
/// Azure Storage emulator, npm) started on loopback with an account key made for this run. The summary reads the lake
/// back through the same store the sink wrote.
/// </summary>
internal sealed class DemoLake : IAsyncDisposable
{
    private const string Container = "telemetry";
    private readonly ChildProcess? _azurite;
    private readonly string _dataDir;

    private DemoLake(string dataDir, ChildProcess? azurite, LakeStoreOptions store)
    {
        _dataDir = dataDir;
        _azurite = azurite;
        Store = store;
    }

    public LakeStoreOptions Store { get; }

    /// <summary>The cloud host's <c>Lake:Store</c> settings as environment variables (the connection string holds the key).</summary>
    public IReadOnlyDictionary<string, string> CloudEnvironment => Store.IsAzure
        ? new Dictionary<string, string>
        {
            ["Lake__Store__Kind"] = "azure",
            ["Lake__Store__ConnectionString"] = Store.ConnectionString!,
            ["Lake__Store__Container"] = Container,
            ["Lake__Store__CreateContainer"] = "true",
        }
        : new Dictionary<string, string>();

    public static async Task<DemoLake> StartAsync(DemoOptions options, string root, string logs, int port)
    {
        if (options.Lake != "azurite") return new DemoLake(options.DataDir, null, new LakeStoreOptions());
        var binary = Path.Combine(root, "tests", "node", "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(binary)) throw new InvalidOperationException($"{binary} not found: scripts/setup.sh installs it (npm azurite in tests/node)");
        var location = Directory.CreateDirectory(Path.Combine(options.DataDir, "azurite")).FullName;
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        const string account = "iottdemo";
        var log = Path.Combine(logs, "azurite.log");
        var azurite = new ChildProcess("azurite", binary,
            ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture), "--location", location, "--skipApiVersionCheck", "--disableProductStyleUrl"],
            log, environment: new Dictionary<string, string> { ["AZURITE_ACCOUNTS"] = $"{account}:{key}" });
        var deadline = Stopwatch.StartNew();
        while (!Listening(port) || !File.ReadAllText(log).Contains("successfully listens", StringComparison.Ordinal))
        {
            if (azurite.HasExited) throw new InvalidOperationException($"Azurite exited with code {azurite.ExitCode}; see {log}");
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"timed out waiting for Azurite on 127.0.0.1:{port}; see {log}");
            await Task.Delay(200);
        }
        return new DemoLake(options.DataDir, azurite, new LakeStoreOptions
        {
            Kind = LakeStoreOptions.Azure,
            ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={key};BlobEndpoint=http://127.0.0.1:{port}/{account};",
            Container = Container,
            CreateContainer = true,
        });
    }

    /// <summary>Where the lake is, for the console (no key).</summary>
    public string Description => Store.IsAzure
        ? $"Azurite (Azure Blob Storage emulator), container '{Container}', data in {Path.Combine(_dataDir, "azurite")}; log {_azurite?.LogFile}"
        : Path.Combine(_dataDir, "lake");

    /// <summary>The lake's data files and rows, read from its store (footers only).</summary>
    public (string Location, int Files, long Rows) Summarize()
    {
        var dataset = LakeStores.OpenDataset(Store, _dataDir, "lake");
        var files = dataset.AllDataFiles();
        long rows = 0;
        foreach (var f in files) rows += LakeParquet.RowCount(dataset.Store, f.Key);
        return (dataset.Location, files.Count, rows);
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException) { return false; }
    }

    public async ValueTask DisposeAsync()
    {
        if (_azurite is null) return;
        await _azurite.StopAsync(TimeSpan.FromSeconds(10));
        await _azurite.DisposeAsync();
    }
}
