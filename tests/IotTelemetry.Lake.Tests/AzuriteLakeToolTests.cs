using System.Globalization;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>iott-lake against a lake in Azurite: the store's settings from the environment, the container on the command line.</summary>
public sealed class AzuriteLakeToolTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static string Dll => Path.Combine(RepoPaths.Root, "tools", "IotTelemetry.LakeTool.Cli", "bin", Programs.Configuration, "net10.0", "iott-lake.dll");

    private async Task<(int Exit, string Output)> Tool(params string[] args)
    {
        await using var tool = ExternalProcess.Start("dotnet", [Dll, .. args], environment: new Dictionary<string, string?>
        {
            ["Lake__Store__ConnectionString"] = azurite.Server.ConnectionString,
        });
        var exit = await tool.WaitForExitAsync(TimeSpan.FromSeconds(90));
        await Wait.UntilAsync(() => tool.Output.Length > 0, "the tool's output");
        Assert.DoesNotContain(azurite.Server.AccountKey, tool.Output, StringComparison.Ordinal);
        return (exit, tool.Output);
    }

    [Fact]
    public async Task Compact_query_inspect_and_retention_work_on_a_lake_in_blob_storage()
    {
        var options = azurite.NewOptions();
        var dataset = new LakeDataset(azurite.NewStore(options.Container), "lake");
        var current = UnixMicros(DateTimeOffset.UtcNow);
        var thisHour = LakePartition.Of("a", current).RelativeDirectory;
        LakeFiles.WritePartition(dataset, "site=a/date=2026-02-01/hour=05", files: 3, firstOffset: 0, rowsPerFile: 50);
        LakeFiles.WritePartition(dataset, thisHour, files: 2, firstOffset: 150, rowsPerFile: 50);
        string[] where = ["--store", "azure", "--container", options.Container!];

        var compact = await Tool(["compact", .. where, "--all", "--older-than", "00:00:00"]);
        Assert.Equal(0, compact.Exit);
        Assert.Contains("site=a/date=2026-02-01/hour=05: merged 3 files, 150 rows", compact.Output, StringComparison.Ordinal);
        Assert.Contains($"{thisHour}: skipped: partition is not closed", compact.Output, StringComparison.Ordinal);
        var merged = Assert.Single(dataset.DataFiles("site=a/date=2026-02-01/hour=05"));

        var query = await Tool(["query", .. where, "SELECT count(*) AS n, count(DISTINCT kafka_offset) AS d, count(DISTINCT hour) AS h FROM lake"]);
        Assert.Equal(0, query.Exit);
        Assert.Contains("| 250 | 250 | 2 |", query.Output, StringComparison.Ordinal);

        var inspect = await Tool(["inspect", .. where, LakeKeys.Below(merged.Key, "lake")!, "--rows", "2"]);
        Assert.Equal(0, inspect.Exit);
        Assert.Contains("Rows: 150", inspect.Output, StringComparison.Ordinal);
        Assert.Contains("iott.compacted_from = telemetry-000-", inspect.Output, StringComparison.Ordinal);

        var retention = await Tool(["retention", .. where, "--keep-days", "30"]);
        Assert.Equal(0, retention.Exit);
        Assert.Contains("site=a/date=2026-02-01/hour=05: dropped 1 files, 150 rows; tombstone left", retention.Output, StringComparison.Ordinal);
        Assert.True(dataset.IsTombstoned("site=a/date=2026-02-01/hour=05"));
        Assert.Equal(2, dataset.AllDataFiles().Count);
    }

    [Fact]
    public async Task A_missing_container_or_setting_is_reported_by_its_key()
    {
        var missing = await Tool(["retention", "--store", "azure", "--container", "no-such-container", "--keep-days", "30"]);
        Assert.Equal(1, missing.Exit);
        Assert.Contains("Lake:Store:Container", missing.Output, StringComparison.Ordinal);
        Assert.Contains("no-such-container", missing.Output, StringComparison.Ordinal);

        var bad = await Tool(["retention", "--store", "azure", "--container", "Bad_Name", "--keep-days", "30"]);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("Lake:Store:Container: expected a container name", bad.Output, StringComparison.Ordinal);
    }

    private static long UnixMicros(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).Ticks / 10;
}
