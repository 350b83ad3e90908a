using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>One Azurite per test class; each test takes a container of its own (<see cref="NewStore"/>).</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? _server;
    private readonly string _scratch = RepoPaths.NewTempDirectory("azurite-scratch");

    public AzuriteServer Server => _server ?? throw new InvalidOperationException("Azurite is not started");

    public async Task InitializeAsync() => _server = await AzuriteServer.StartNewAsync();

    /// <summary>Settings for a new container of this server.</summary>
    public LakeStoreOptions NewOptions(string? container = null) => new()
    {
        Kind = LakeStoreOptions.Azure,
        ConnectionString = Server.ConnectionString,
        Container = container ?? "t-" + Guid.NewGuid().ToString("N")[..12],
        CreateContainer = true,
        BlockSizeBytes = 1024 * 1024, // small blocks, so a test file spans several
    };

    public AzureBlobLakeStore NewStore(string? container = null) => LakeStores.OpenAzure(NewOptions(container), _scratch);

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The store contract on Azurite.</summary>
public sealed class AzuriteLakeStoreTests(AzuriteFixture azurite) : LakeStoreContract, IClassFixture<AzuriteFixture>
{
    protected override ILakeStore Store { get; } = azurite.NewStore();
}

/// <summary>Compaction and retention against Azurite.</summary>
public sealed class AzuriteMaintenanceTests(AzuriteFixture azurite) : LakeMaintenanceContract, IClassFixture<AzuriteFixture>
{
    protected override LakeDataset Dataset { get; } = new(azurite.NewStore(), "lake");

    protected override bool UseDirectoryExchange => true; // blob storage has none: the commit-then-delete protocol runs anyway
}
