using System.Globalization;
using IotTelemetry.LakeTool;
using ParquetSharp;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>iott-lake: compaction and retention as DuckDB sees them, and the inspect command.</summary>
public sealed class LakeToolTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dataDir = RepoPaths.NewTempDirectory("lake-tool");

    private string Root => Path.Combine(_dataDir, "lake");

    /// <summary>Writes <paramref name="files"/> small files of <paramref name="rowsPerFile"/> rows each into a partition; offsets continue from <paramref name="firstOffset"/>.</summary>
    private string WritePartition(string partition, int files, long firstOffset, int rowsPerFile = 50)
    {
        LakeFiles.WritePartition(LakeDataset.Local(Root), partition, files, firstOffset, rowsPerFile);
        return Path.Combine(Root, partition);
    }

    private async Task<(long Rows, long Distinct, double Sum)> ReadLake()
    {
        var r = (await DuckDb.QueryAsync(
            $"SELECT count(*) AS n, count(DISTINCT kafka_offset) AS d, sum(value) AS s FROM read_parquet({DuckDb.Literal(LakeFiles.Glob(Root))}, hive_partitioning=true)"))[0];
        return (long.Parse(r["n"].ToString(), CultureInfo.InvariantCulture), long.Parse(r["d"].ToString(), CultureInfo.InvariantCulture), r["s"].GetDouble());
    }

    [Fact]
    public async Task Compaction_merges_the_small_files_of_a_closed_partition_into_one_with_the_same_rows_and_no_duplicates()
    {
        var dir = WritePartition("site=a/date=2026-03-09/hour=07", files: 12, firstOffset: 0);
        WritePartition("site=a/date=2026-03-09/hour=08", files: 3, firstOffset: 600);
        var before = await ReadLake();
        Assert.Equal((750L, 750L), (before.Rows, before.Distinct));

        var result = new LakeCompactor(Root).Compact("site=a/date=2026-03-09/hour=07", TimeSpan.FromHours(2), Now);

        Assert.Null(result.Skipped);
        Assert.Equal((12, 600L), (result.SourceFiles, result.Rows));
        Assert.Equal([Path.Combine(dir, result.Merged!)], LakeFiles.DataFiles(dir));
        Assert.Equal(before, await ReadLake());
        Assert.False(Directory.Exists(LakeFiles.WorkDirectory(Root)) && Directory.EnumerateFileSystemEntries(LakeFiles.WorkDirectory(Root)).Any(),
            "the work directory is left empty");
    }

    [Fact]
    public async Task Compaction_streams_large_partitions_into_row_groups_of_the_target_size()
    {
        var dir = WritePartition("site=a/date=2026-03-09/hour=07", files: 4, firstOffset: 0, rowsPerFile: 5_000);
        var before = await ReadLake();
        var result = new LakeCompactor(Root, Compression.Zstd, rowGroupTargetBytes: 64 * 1024).Compact("site=a/date=2026-03-09/hour=07", TimeSpan.FromHours(2), Now);
        Assert.Equal((4, 20_000L), (result.SourceFiles, result.Rows));
        Assert.Equal(before, await ReadLake());
        var merged = DuckDb.Literal(Assert.Single(LakeFiles.DataFiles(dir)));
        var groups = await DuckDb.QueryAsync(
            $"SELECT count(DISTINCT row_group_id) AS g, max(row_group_num_rows) AS most, any_value(compression) AS c FROM parquet_metadata({merged})");
        Assert.True(groups[0]["g"].GetInt64() > 4, $"{groups[0]["g"]} row groups");
        Assert.True(groups[0]["most"].GetInt64() < 5_000, $"{groups[0]["most"]} rows in the largest group");
        Assert.Equal("ZSTD", groups[0]["c"].GetString());
    }

    [Theory]
    [InlineData(LakeCompactor.Step.AfterIntent)]
    [InlineData(LakeCompactor.Step.AfterExchange)]
    public async Task Compaction_interrupted_at_any_step_shows_readers_each_row_once_and_recovery_finishes_it(LakeCompactor.Step crashAfter)
    {
        var dir = WritePartition("site=a/date=2026-03-09/hour=07", files: 5, firstOffset: 0);
        var before = await ReadLake();

        Assert.Throws<LakeFiles.SimulatedCrash>(() =>
            new LakeCompactor(Root) { StepDone = LakeFiles.CrashAfter(crashAfter) }.Compact("site=a/date=2026-03-09/hour=07", TimeSpan.FromHours(2), Now));
        Assert.Equal(before, await ReadLake()); // the interrupted state itself is consistent
        Assert.Equal(crashAfter == LakeCompactor.Step.AfterIntent ? 5 : 1, LakeFiles.DataFiles(dir).Count);

        Assert.Equal(1, new LakeCompactor(Root).Recover());
        Assert.Equal(before, await ReadLake());
        Assert.Empty(Directory.EnumerateFileSystemEntries(LakeFiles.WorkDirectory(Root)));
        var again = new LakeCompactor(Root).Compact("site=a/date=2026-03-09/hour=07", TimeSpan.FromHours(2), Now);
        Assert.Single(LakeFiles.DataFiles(dir));
        Assert.Equal(before, await ReadLake());
        Assert.True(again.Merged is not null || again.Skipped!.Contains("nothing to merge", StringComparison.Ordinal), again.Skipped);
    }

    [Fact]
    public void Compaction_leaves_a_partition_whose_hour_is_within_the_grace_period_alone()
    {
        var dir = WritePartition("site=a/date=2026-03-10/hour=11", files: 3, firstOffset: 0);
        var result = new LakeCompactor(Root).Compact("site=a/date=2026-03-10/hour=11", TimeSpan.FromHours(2), Now);
        Assert.Null(result.Merged);
        Assert.Contains("not closed", result.Skipped, StringComparison.Ordinal);
        Assert.Equal(3, LakeFiles.DataFiles(dir).Count);
    }

    [Fact]
    public async Task Retention_replaces_old_partitions_by_a_tombstone_that_readers_and_compaction_respect()
    {
        var old = WritePartition("site=a/date=2026-02-01/hour=05", files: 2, firstOffset: 0);
        WritePartition("site=a/date=2026-03-09/hour=07", files: 2, firstOffset: 100);

        var dropped = new LakeRetention(Root).Apply(keepDays: 7, Now);

        var tombstone = Assert.Single(dropped);
        Assert.Equal("site=a/date=2026-02-01/hour=05", tombstone.Partition);
        Assert.Equal(100, tombstone.Rows);
        Assert.Equal(2, tombstone.Files.Count);
        Assert.Equal([LakeLayout.TombstoneFileName], Directory.EnumerateFileSystemEntries(old).Select(Path.GetFileName));
        var onDisk = Tombstone.Read(LakeDataset.Local(Root), tombstone.Partition)!;
        Assert.Equal(Now, onDisk.DroppedAtUtc);
        Assert.Contains("keep 7 days", onDisk.Reason, StringComparison.Ordinal);
        var after = await ReadLake();
        Assert.Equal((100L, 100L), (after.Rows, after.Distinct));
        Assert.Empty(new LakeRetention(Root).Apply(keepDays: 7, Now)); // idempotent
        Assert.Contains("retention", new LakeCompactor(Root).Compact(tombstone.Partition, TimeSpan.Zero, Now).Skipped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_command_prints_the_schema_row_groups_and_first_rows_of_a_file()
    {
        var dir = WritePartition("site=a/date=2026-03-09/hour=07", files: 1, firstOffset: 0);
        var dll = Path.Combine(RepoPaths.Root, "tools", "IotTelemetry.LakeTool.Cli", "bin", Programs.Configuration, "net10.0", "iott-lake.dll");
        await using var tool = ExternalProcess.Start("dotnet", [dll, "inspect", LakeFiles.DataFiles(dir)[0], "--rows", "3"]);
        Assert.Equal(0, await tool.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await Wait.UntilAsync(() => tool.Output.Contains("kafka_offset", StringComparison.Ordinal), "the schema in the output");
        Assert.Contains("Rows: 50", tool.Output, StringComparison.Ordinal);
        Assert.Contains("RLE_DICTIONARY", tool.Output, StringComparison.Ordinal);
        Assert.Contains("INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true)", tool.Output, StringComparison.Ordinal);
        Assert.Contains("iott.site = a", tool.Output, StringComparison.Ordinal);
        Assert.Contains("\"pump-0\"", tool.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_command_runs_sql_over_the_view_lake_with_the_hive_columns_and_prints_a_table()
    {
        WritePartition("site=a/date=2026-03-09/hour=07", files: 2, firstOffset: 0);
        WritePartition("site=b/date=2026-03-09/hour=08", files: 1, firstOffset: 100);
        var dll = Path.Combine(RepoPaths.Root, "tools", "IotTelemetry.LakeTool.Cli", "bin", Programs.Configuration, "net10.0", "iott-lake.dll");
        await using var tool = ExternalProcess.Start("dotnet", [dll, "query", "--root", Root,
            "SELECT site, date, hour, count(*) AS n, max(kafka_offset) AS last FROM lake GROUP BY ALL ORDER BY site"]);
        Assert.Equal(0, await tool.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        await Wait.UntilAsync(() => tool.Output.Contains("(2 rows)", StringComparison.Ordinal), "the row count under the table");
        var lines = tool.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('|')).ToList();
        Assert.Equal(["| site | date       | hour | n   | last |", "| a    | 2026-03-09 | 7    | 100 | 99   |", "| b    | 2026-03-09 | 8    | 50  | 149  |"],
            lines.Where(l => !l.StartsWith("|-", StringComparison.Ordinal)));

        await using var bad = ExternalProcess.Start("dotnet", [dll, "query", "--root", Root, "SELECT nosuchcolumn FROM lake"]);
        Assert.Equal(1, await bad.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        await Wait.UntilAsync(() => bad.Output.Contains("nosuchcolumn", StringComparison.Ordinal), "DuckDB's message naming the column");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
            var work = LakeFiles.WorkDirectory(Root);
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
        catch (IOException) { }
    }
}
