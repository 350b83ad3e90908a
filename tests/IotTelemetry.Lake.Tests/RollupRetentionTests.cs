using System.Globalization;
using IotTelemetry.Lake.Rollups;
using IotTelemetry.LakeTool;
using IotTelemetry.TestKit;
using ParquetSharp;

namespace IotTelemetry.Lake.Tests;

/// <summary><c>iott-lake retention</c> per tier: raw readings, 1-minute and 1-hour rollups each by their own days, from flags or the host's configuration.</summary>
public sealed class RollupRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dataDir = RepoPaths.NewTempDirectory("rollup-retention");

    private string Root => Path.Combine(_dataDir, "lake");

    public RollupRetentionTests()
    {
        var raw = LakeDataset.Local(Root);
        LakeFiles.WritePartition(raw, "site=a/date=2026-01-01/hour=00", files: 2, firstOffset: 0, rowsPerFile: 10);    // 68 days old
        LakeFiles.WritePartition(raw, "site=a/date=2026-03-10/hour=08", files: 1, firstOffset: 20, rowsPerFile: 10);
        var rollups = RollupFiles.Beside(raw);
        WriteRollups(rollups, RollupTier.Minute, "site=a/date=2024-01-01", rows: 7);   // ~800 days old
        WriteRollups(rollups, RollupTier.Minute, "site=a/date=2025-06-01", rows: 5);   // ~280 days old
        WriteRollups(rollups, RollupTier.Hour, "site=a/month=2019-01", rows: 4);       // ~7 years old
        WriteRollups(rollups, RollupTier.Hour, "site=a/month=2023-01", rows: 3);       // ~3 years old
    }

    private static void WriteRollups(RollupFiles files, RollupTier tier, string partition, int rows)
    {
        var start = (tier.PeriodOf(partition).Start - DateTimeOffset.UnixEpoch).Ticks / 10;
        var content = Enumerable.Range(0, rows)
            .Select(i => new RollupRow(start + i * tier.BucketMicros, "pump-1", "vibration", "mm/s", RollupAggregate.Of(i, good: true, start + i * tier.BucketMicros, 0, i)))
            .ToList();
        files.Store.Commit(files.Stage(tier, partition, "telemetry-000-00000000000000000000-00000000000000000009.parquet", content, Compression.Snappy,
            new Dictionary<string, string> { ["iott.processing"] = tier.Processing }));
    }

    private async Task<long> Rows(string dataset)
    {
        var glob = DuckDb.Literal(Path.Combine(_dataDir, dataset, "**", "*.parquet"));
        return (await DuckDb.QueryAsync($"SELECT count(*) AS n FROM read_parquet({glob}, hive_partitioning = true)"))[0]["n"].GetInt64();
    }

    private (string Output, int Code) Run(params string[] flags)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < flags.Length; i += 2) options[flags[i]] = flags[i + 1];
        int? Days(string flag) => options.TryGetValue(flag, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        using var output = new StringWriter();
        var code = RetentionCommand.Run(output, Root, new RetentionFlags(Days("keep-days"), Days("keep-1m-days"), Days("keep-1h-days"), options.GetValueOrDefault("config")), Now);
        return (output.ToString(), code);
    }

    [Fact]
    public async Task Each_tier_keeps_its_own_days_from_the_configuration_and_drops_older_partitions_for_a_tombstone()
    {
        var config = Path.Combine(_dataDir, "appsettings.json");
        File.WriteAllText(config, """{ "Retention": { "RawDays": 30, "MinuteDays": 400, "HourDays": 2000 } }""");

        var (output, code) = Run("config", config);

        Assert.Equal(0, code);
        Assert.Contains("raw site=a/date=2026-01-01/hour=00: dropped 2 files, 20 rows", output, StringComparison.Ordinal);
        Assert.Contains("rollup-1m site=a/date=2024-01-01: dropped 1 files, 7 rows", output, StringComparison.Ordinal);
        Assert.Contains("rollup-1h site=a/month=2019-01: dropped 1 files, 4 rows", output, StringComparison.Ordinal);
        Assert.Contains("3 partition(s) dropped", output, StringComparison.Ordinal);
        Assert.Equal((10L, 5L, 3L), (await Rows("lake"), await Rows("rollup-1m"), await Rows("rollup-1h")));
        var tombstone = Tombstone.Read(RollupFiles.Beside(LakeDataset.Local(Root)).Dataset(RollupTier.Hour), "site=a/month=2019-01");
        Assert.NotNull(tombstone);
        Assert.Contains("keep 2000 days; the partition's month ended 2019-02-01", tombstone.Reason, StringComparison.Ordinal);
        Assert.Contains("0 partition(s) dropped", Run("config", config).Output, StringComparison.Ordinal); // idempotent
    }

    [Fact]
    public async Task Flags_override_the_configuration_and_the_defaults_keep_two_and_five_years_of_rollups()
    {
        // Only --keep-days, as before rollups existed: the rollup tiers get their defaults (730 and 1825 days).
        var (output, _) = Run("keep-days", "365");
        Assert.Contains("rollup-1m (", output, StringComparison.Ordinal);
        Assert.Contains("keep 730 days, 1 partition(s) dropped", output, StringComparison.Ordinal);
        Assert.Contains("keep 1825 days, 1 partition(s) dropped", output, StringComparison.Ordinal);
        Assert.Equal((30L, 5L, 3L), (await Rows("lake"), await Rows("rollup-1m"), await Rows("rollup-1h")));

        var config = Path.Combine(_dataDir, "appsettings.json");
        File.WriteAllText(config, """{ "Retention": { "MinuteDays": 3000, "HourDays": 4000 } }""");
        Run("config", config, "keep-1m-days", "200");
        Assert.Empty(LakeFiles.Visible(Path.Combine(_dataDir, "rollup-1m")));
        Assert.Equal(3L, await Rows("rollup-1h"));
    }

    [Fact]
    public void Iott_lake_query_has_the_merged_rollup_tiers_as_views_beside_the_lake()
    {
        using var output = new StringWriter();
        var rows = LakeQuery.Run(output, Root, "SELECT site, sum(\"count\") AS n, max(partials) AS p FROM rollup_1m GROUP BY site UNION ALL SELECT 'h', count(*), 0 FROM rollup_1h", 100);
        Assert.Equal(2, rows);
        Assert.Contains("| a    | 12 | 1 |", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("| h    | 7  | 0 |", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_retention_that_is_not_a_number_of_days_or_drops_hours_before_minutes_is_refused_naming_the_key()
    {
        var config = Path.Combine(_dataDir, "appsettings.json");
        File.WriteAllText(config, """{ "Retention": { "MinuteDays": 0 } }""");
        Assert.Contains("Retention:MinuteDays: expected a number of days from 1 to 36525, got 0",
            Assert.Throws<ArgumentException>(() => Run("config", config)).Message, StringComparison.Ordinal);
        Assert.Contains("Retention:HourDays: expected at least Retention:MinuteDays (900), got 800",
            Assert.Throws<ArgumentException>(() => Run("keep-1m-days", "900", "keep-1h-days", "800")).Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(_dataDir, "rollup-1m", "site=a", "date=2024-01-01")));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
