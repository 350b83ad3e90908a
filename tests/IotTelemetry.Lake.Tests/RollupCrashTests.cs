using IotTelemetry.Common.Readings;
using IotTelemetry.Lake.Rollups;
using IotTelemetry.TestKit;
using Xunit.Abstractions;

namespace IotTelemetry.Lake.Tests;

/// <summary>
/// The cloud host with the raw sink and the rollup writer is SIGKILLed at random points; late readings arrive between
/// runs. Afterwards DuckDB's merge of each rollup tier equals DuckDB's own aggregates over the raw lake: every reading
/// folded in exactly once, late ones into their old intervals.
/// </summary>
public sealed class RollupCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int OnTime = 16_000;
    private const int Late = 2_000;
    private readonly LakeTopic _topic = new(partitions: 4);
    private readonly string _dataDir = RepoPaths.NewTempDirectory("rollup-crash");

    private string LakeRoot => Path.Combine(_dataDir, "lake");
    private string RollupRoot => _dataDir; // rollup-1m/ and rollup-1h/ beside lake/

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Rollups:Enabled"] = "true",
        ["Rollups:MaxReadingsPerBatch"] = "150",
        ["Rollups:IdleFlush"] = "00:00:01",
        ["Rollups:MaxEventSpan"] = "00:20:00",
    };

    [Fact]
    public async Task Rollup_writer_killed_at_random_points_folds_every_reading_in_exactly_once_late_ones_included()
    {
        var start = UnixMicros.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 7, 30, 0, TimeSpan.Zero));
        _topic.Produce(LakeTopic.KnownReadings(OnTime, start));
        // Readings for the same three hours that reach Kafka only after the first files were written.
        var late = LakeTopic.KnownReadings(Late, start + 3_000_000).Select(r => r with { Value = 10_000 - r.Value, Quality = Quality.Good }).ToList();

        var random = new Random(1515);
        var kills = 0;
        for (var run = 0; run < 5; run++)
        {
            var total = run == 0 ? OnTime : OnTime + Late;
            var (process, metrics) = CloudSink.Start(_topic.Cluster.BootstrapServers, _dataDir, maxRowsPerFile: 500, Settings);
            await using (process)
            {
                var files = random.Next(1, 40);
                await Wait.UntilAsync(async () => await metrics.GetAsync("iott_cloud_rollup_files_total") >= files
                        || RollupDataset.Readings(RollupRoot, RollupTier.Hour) >= total,
                    $"{files} rollup files written in this run, or every reading folded in", TimeSpan.FromSeconds(60));
                var before = RollupDataset.Readings(RollupRoot, RollupTier.Minute);
                process.Kill();
                await process.WaitForExitAsync();
                if (before < total) kills++;
                output.WriteLine($"run {run}: killed after >= {files} rollup files, {before} readings in the 1-minute tier");
            }
            if (run == 0) _topic.Produce(late);
        }
        Assert.True(kills >= 3, $"expected the writer to be killed while it still had work at least 3 times, got {kills}");

        var (last, _) = CloudSink.Start(_topic.Cluster.BootstrapServers, _dataDir, maxRowsPerFile: 500, Settings);
        await using (last)
        {
            await Wait.UntilAsync(() => RollupDataset.Readings(RollupRoot, RollupTier.Minute) >= OnTime + Late
                    && RollupDataset.Readings(RollupRoot, RollupTier.Hour) >= OnTime + Late && LakeFiles.CountRows(LakeRoot) >= OnTime + Late,
                "every reading in the raw lake and in both rollup tiers", TimeSpan.FromSeconds(120));
        }

        foreach (var tier in RollupTier.All)
        {
            Assert.Equal(OnTime + Late, RollupDataset.Readings(RollupRoot, tier));
            RollupDataset.AssertNoOverlappingOffsets(RollupRoot, tier);
            var compared = await RollupTruth.AssertMatchesRawAsync(LakeRoot, RollupRoot, tier);
            output.WriteLine($"{tier}: {compared} sensor-intervals equal DuckDB's aggregates over the raw lake");
        }
        // The late readings became extra partials of intervals already written, not intervals of their own.
        var most = await DuckDb.QueryAsync($"SELECT max(partials) AS most FROM ({RollupTruth.Merged(RollupRoot, RollupTier.Hour)})");
        Assert.True(most[0]["most"].GetInt64() >= 2, $"at most {most[0]["most"]} partials per sensor-hour");
        var files1m = RollupDataset.Visible(RollupRoot, RollupTier.Minute).Select(f => RollupParquet.Read(f).Metadata).ToList();
        Assert.All(files1m, m => Assert.Equal("rollup-1m", m["iott.processing"]));
    }

    public void Dispose()
    {
        _topic.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
