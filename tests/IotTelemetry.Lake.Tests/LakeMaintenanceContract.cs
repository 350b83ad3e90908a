using System.Globalization;
using IotTelemetry.LakeTool;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>
/// Compaction and retention by the blob-storage protocol (commit, then delete; tombstone, then delete), as DuckDB sees the
/// dataset: run on a local directory with the directory exchange turned off, and against Azurite by a subclass.
/// </summary>
public abstract class LakeMaintenanceContract : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly string _copy = RepoPaths.NewTempDirectory("lake-mirror");

    protected abstract LakeDataset Dataset { get; }

    /// <summary>False for the local directory, so it runs the protocol blob storage needs.</summary>
    protected abstract bool UseDirectoryExchange { get; }

    private LakeCompactor Compactor(LakeCompactor.Step? crashAfter = null) =>
        new(Dataset) { StepDone = LakeFiles.CrashAfter(crashAfter), UseDirectoryExchange = UseDirectoryExchange };

    private LakeRetention Retention() => new(Dataset) { UseDirectoryExchange = UseDirectoryExchange };

    private void WritePartition(string partition, int files, long firstOffset, int rowsPerFile = 50) =>
        LakeFiles.WritePartition(Dataset, partition, files, firstOffset, rowsPerFile);

    private async Task<(long Rows, long Distinct)> ReadLake()
    {
        var root = LakeFiles.Mirror(Dataset, _copy);
        if (LakeFiles.Visible(root).Count == 0) return (0, 0);
        var r = (await DuckDb.QueryAsync(
            $"SELECT count(*) AS n, count(DISTINCT kafka_offset) AS d FROM read_parquet({DuckDb.Literal(LakeFiles.Glob(root))}, hive_partitioning=true)"))[0];
        return (long.Parse(r["n"].ToString(), CultureInfo.InvariantCulture), long.Parse(r["d"].ToString(), CultureInfo.InvariantCulture));
    }

    private int Intents() => Dataset.Store.List(Dataset.WorkPrefix).Count();

    [Fact]
    public async Task Compaction_merges_a_closed_partition_into_one_file_with_the_same_rows()
    {
        WritePartition("site=a/date=2026-03-09/hour=07", files: 6, firstOffset: 0);
        WritePartition("site=a/date=2026-03-09/hour=08", files: 2, firstOffset: 300);
        var result = Compactor().Compact("site=a/date=2026-03-09/hour=07", TimeSpan.FromHours(2), Now);
        Assert.Null(result.Skipped);
        Assert.Equal((6, 300L), (result.SourceFiles, result.Rows));
        Assert.Equal([Dataset.Key("site=a/date=2026-03-09/hour=07", result.Merged!)], Dataset.DataFiles("site=a/date=2026-03-09/hour=07").Select(e => e.Key));
        Assert.Equal((400L, 400L), await ReadLake());
        Assert.Equal(0, Intents());
    }

    /// <summary>The window the protocol documents: after the merged file's commit and before the sources are deleted, rows show twice.</summary>
    [Theory]
    [InlineData(LakeCompactor.Step.AfterIntent, 1)]
    [InlineData(LakeCompactor.Step.AfterExchange, 2)]
    public async Task Compaction_interrupted_after_a_step_shows_what_the_protocol_says_and_recovery_finishes_it(LakeCompactor.Step crashAfter, int copies)
    {
        WritePartition("site=a/date=2026-03-09/hour=07", files: 5, firstOffset: 0);
        Assert.Throws<LakeFiles.SimulatedCrash>(() => Compactor(crashAfter).Compact("site=a/date=2026-03-09/hour=07", TimeSpan.FromHours(2), Now));
        Assert.Equal((250L * copies, 250L), await ReadLake());
        Assert.Equal(1, Intents());

        Assert.Equal(1, Compactor().Recover());
        Assert.Equal((250L, 250L), await ReadLake());
        Assert.Single(Dataset.DataFiles("site=a/date=2026-03-09/hour=07"));
        Assert.Equal(0, Intents());
    }

    [Fact]
    public async Task Compaction_interrupted_and_then_dropped_by_retention_does_not_bring_rows_back()
    {
        WritePartition("site=a/date=2026-02-01/hour=05", files: 3, firstOffset: 0);
        Assert.Throws<LakeFiles.SimulatedCrash>(() => Compactor(LakeCompactor.Step.AfterIntent).Compact("site=a/date=2026-02-01/hour=05", TimeSpan.FromHours(2), Now));
        Assert.Single(Retention().Apply(keepDays: 7, Now));
        Assert.Equal(1, Compactor().Recover());
        Assert.Equal((0L, 0L), await ReadLake());
        Assert.Empty(Dataset.DataFiles("site=a/date=2026-02-01/hour=05"));
    }

    [Fact]
    public async Task Retention_leaves_a_tombstone_first_then_deletes_and_a_later_run_sweeps_files_committed_after_it()
    {
        WritePartition("site=a/date=2026-02-01/hour=05", files: 2, firstOffset: 0);
        WritePartition("site=a/date=2026-03-09/hour=07", files: 2, firstOffset: 100);

        var tombstone = Assert.Single(Retention().Apply(keepDays: 7, Now));
        Assert.Equal(("site=a/date=2026-02-01/hour=05", 100L, 2), (tombstone.Partition, tombstone.Rows, tombstone.Files.Count));
        Assert.True(Dataset.IsTombstoned(tombstone.Partition));
        Assert.Empty(Dataset.DataFiles(tombstone.Partition));
        Assert.Equal((100L, 100L), await ReadLake());
        Assert.Empty(Retention().Apply(keepDays: 7, Now)); // idempotent

        // A sink that checked for the tombstone just before it was written commits one more file there: the next run sweeps it.
        WritePartition("site=a/date=2026-02-01/hour=05", files: 1, firstOffset: 500);
        var swept = Assert.Single(Retention().Apply(keepDays: 7, Now));
        Assert.Equal((3, 150L), (swept.Files.Count, swept.Rows));
        var stored = Tombstone.Read(Dataset, swept.Partition)!;
        Assert.Equal(swept.Files, stored.Files);
        Assert.Equal((swept.Rows, tombstone.DroppedAtUtc), (stored.Rows, stored.DroppedAtUtc));
        Assert.Equal((100L, 100L), await ReadLake());
        Assert.Contains("retention", Compactor().Compact(tombstone.Partition, TimeSpan.Zero, Now).Skipped, StringComparison.Ordinal);
    }

    public virtual void Dispose()
    {
        try { Directory.Delete(_copy, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

/// <summary>The blob-storage protocol on a local directory.</summary>
public sealed class LocalMaintenanceTests : LakeMaintenanceContract
{
    private readonly string _dir = RepoPaths.NewTempDirectory("lake-maintenance");

    public LocalMaintenanceTests() => Dataset = new LakeDataset(new LocalLakeStore(_dir), "lake");

    protected override LakeDataset Dataset { get; }

    protected override bool UseDirectoryExchange => false;

    public override void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        base.Dispose();
    }
}
