using System.Globalization;
using IotTelemetry.Common.Readings;
using IotTelemetry.Lake.Rollups;
using IotTelemetry.LakeTool;
using IotTelemetry.TestKit;
using ParquetSharp;

namespace IotTelemetry.Lake.Tests;

/// <summary>
/// Rollup files written in many small batches, late readings among them, merged by DuckDB (the README's view) and by
/// the dashboard's reader, against DuckDB's own aggregates over the same readings as a raw lake file.
/// </summary>
public sealed class RollupMergeTests : IDisposable
{
    private readonly string _dataDir = RepoPaths.NewTempDirectory("rollup-merge");

    private string LakeRoot => Path.Combine(_dataDir, "lake");
    private string RollupRoot => _dataDir; // the rollup datasets are beside the raw lake

    /// <summary>In Kafka order: the known readings, then late ones for the same minutes, then a sensor far from zero with a tiny spread.</summary>
    private static List<Reading> Input()
    {
        var start = UnixMicros.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 7, 30, 0, TimeSpan.Zero));
        var readings = LakeTopic.KnownReadings(6_000, start);
        readings.AddRange(LakeTopic.KnownReadings(600, start + 7_000_000).Select(r => r with { Value = -r.Value * 3, Quality = Quality.Good }));
        for (var i = 0; i < 2_000; i++)
            readings.Add(new Reading("plant-a", "compressor-1", "pressure", start + i * 450_000, 101_325 + (i % 7) * 1e-4, Quality.Good, "Pa", "opcua:x", start));
        return readings;
    }

    /// <summary>Writes the readings as rollup files, one per tier and partition for every <paramref name="batch"/> readings of a Kafka partition.</summary>
    private void WriteRollups(List<Reading> readings, int partitions, int batch)
    {
        for (var p = 0; p < partitions; p++)
        {
            var mine = readings.Where((_, i) => i % partitions == p).ToList();
            for (var first = 0; first < mine.Count; first += batch)
            {
                var last = Math.Min(first + batch, mine.Count) - 1;
                foreach (var tier in RollupTier.All)
                {
                    var accumulator = new RollupAccumulator(tier);
                    for (var o = first; o <= last; o++)
                    {
                        var r = mine[o];
                        accumulator.Add(r.Site, r.Asset, r.Sensor, r.Unit, r.TimestampMicros, r.Value, r.Quality == Quality.Good, p, o);
                    }
                    foreach (var (_, partition, rows) in accumulator.ByPartition())
                    {
                        var path = Path.Combine(RollupRoot, tier.Dataset, partition, string.Create(CultureInfo.InvariantCulture, $"telemetry-{p:D3}-{first:D20}-{last:D20}.parquet"));
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        RollupParquet.Write(path, rows, Compression.Snappy, new Dictionary<string, string> { ["iott.processing"] = tier.Processing });
                    }
                }
            }
        }
    }

    /// <summary>The same readings as raw lake files (one per site), with the Kafka coordinates the rollups were given.</summary>
    private void WriteRaw(List<Reading> readings, int partitions)
    {
        string[] qualities = ["good", "uncertain", "bad"];
        foreach (var site in readings.Select(r => r.Site).Distinct())
        {
            var rows = new LakeRows();
            var offsets = new long[partitions];
            for (var i = 0; i < readings.Count; i++)
            {
                var p = i % partitions;
                var offset = offsets[p]++;
                var r = readings[i];
                if (r.Site == site) rows.Add(r.TimestampMicros, r.Asset, r.Sensor, r.Value, qualities[(int)r.Quality], r.Unit, r.Source, r.IngestTimeMicros, p, offset);
            }
            var dir = Path.Combine(LakeRoot, "site=" + site);
            Directory.CreateDirectory(dir);
            LakeParquet.Write(Path.Combine(dir, "all.parquet"), rows, Compression.Snappy, 64L * 1024 * 1024, new Dictionary<string, string>());
        }
    }

    [Fact]
    public async Task Partials_from_many_batches_with_late_readings_merge_to_what_DuckDB_computes_from_the_raw_readings()
    {
        var readings = Input();
        WriteRaw(readings, partitions: 3);
        WriteRollups(readings, partitions: 3, batch: 250);

        foreach (var tier in RollupTier.All)
        {
            var compared = await RollupTruth.AssertMatchesRawAsync(LakeRoot, RollupRoot, tier);
            Assert.True(compared > (tier == RollupTier.Minute ? 300 : 10), $"{compared} {tier} rows compared");
        }
        // Late readings and batch cuts leave several partials for one sensor-minute, in different files.
        var partials = await DuckDb.QueryAsync($"SELECT max(partials) AS most FROM ({RollupTruth.Merged(RollupRoot, RollupTier.Minute)})");
        Assert.True(partials[0]["most"].GetInt64() >= 2, $"at most {partials[0]["most"]} partials per sensor-minute");
    }

    [Fact]
    public async Task The_dashboard_reader_merges_a_range_of_an_asset_to_the_same_aggregates_and_coarser_intervals_on_request()
    {
        var readings = Input();
        WriteRaw(readings, partitions: 2);
        WriteRollups(readings, partitions: 2, batch: 180);
        var reader = new RollupReader(RollupFiles.Beside(LakeDataset.Local(LakeRoot)));
        long from = 0, to = long.MaxValue / 2;

        await RollupTruth.AssertReaderMatchesRawAsync(LakeRoot, reader.Read(RollupTier.Minute, "plant-a", "pump-02", from, to, RollupTier.Minute.BucketMicros),
            RollupTier.Minute, "plant-a", "pump-02");
        await RollupTruth.AssertReaderMatchesRawAsync(LakeRoot, reader.Read(RollupTier.Hour, "plant-a", "compressor-1", from, to, RollupTier.Hour.BucketMicros),
            RollupTier.Hour, "plant-a", "compressor-1");
        // 1-minute partials merged to hours equal the 1-hour tier's own.
        var fromMinutes = reader.Read(RollupTier.Minute, "plant-b", "pump-01", from, to, RollupTier.Hour.BucketMicros);
        await RollupTruth.AssertReaderMatchesRawAsync(LakeRoot, fromMinutes, RollupTier.Hour, "plant-b", "pump-01");
        // A range opens only the partitions it overlaps and keeps only intervals that start in it.
        var hourStart = UnixMicros.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var oneHour = reader.Read(RollupTier.Minute, "plant-a", "pump-02", hourStart, hourStart + 3_600_000_000, RollupTier.Minute.BucketMicros);
        Assert.NotEmpty(oneHour);
        Assert.All(oneHour, r => Assert.InRange(r.TimeMicros, hourStart, hourStart + 3_600_000_000 - 1));
        Assert.Empty(reader.Read(RollupTier.Minute, "plant-a", "pump-02", hourStart + 86_400_000_000, hourStart + 2 * 86_400_000_000, RollupTier.Minute.BucketMicros));
    }

    [Fact]
    public async Task Compaction_merges_a_closed_partitions_partials_into_one_row_per_sensor_and_interval_with_the_same_figures()
    {
        var readings = Input();
        WriteRaw(readings, partitions: 3);
        WriteRollups(readings, partitions: 3, batch: 250);
        var files = RollupFiles.Beside(LakeDataset.Local(LakeRoot));
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        // At noon the day (a 1-minute partition) has not ended: compaction waits for its period to end.
        var open = RollupCompaction.For(files, RollupTier.Minute).Compact("site=plant-a/date=2026-03-01", TimeSpan.FromHours(2), now);
        Assert.Contains("not closed", open.Skipped, StringComparison.Ordinal);

        foreach (var tier in RollupTier.All)
        {
            var compactor = RollupCompaction.For(files, tier);
            foreach (var partition in files.Partitions(tier))
            {
                var result = compactor.Compact(partition, TimeSpan.FromHours(2), now.AddDays(40));
                Assert.True(result.Merged is not null, $"{partition}: {result.Skipped}");
                Assert.Single(files.Files(tier, partition));
            }
            await RollupTruth.AssertMatchesRawAsync(LakeRoot, RollupRoot, tier);
            var most = await DuckDb.QueryAsync($"SELECT max(partials) AS most FROM ({RollupTruth.Merged(RollupRoot, tier)})");
            Assert.Equal(1, most[0]["most"].GetInt64());
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
