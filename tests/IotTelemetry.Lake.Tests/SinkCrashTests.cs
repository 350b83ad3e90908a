using System.Globalization;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;
using Xunit.Abstractions;

namespace IotTelemetry.Lake.Tests;

/// <summary>
/// The sink process is SIGKILLed at random points while it writes; the lake must still hold every reading exactly once.
/// Run against each store (a subclass per store); DuckDB reads a copy of what the store shows a reader.
/// </summary>
public abstract class SinkCrashScenario(ITestOutputHelper output) : IDisposable
{
    private const int Count = 36_000; // enough work that the kills land while the sink still has some
    private readonly LakeTopic _topic = new(partitions: 4);
    private readonly string _copy = RepoPaths.NewTempDirectory("lake-crash-copy");
    private LakeView? _view;

    protected string DataDir { get; } = RepoPaths.NewTempDirectory("lake-crash");

    /// <summary>The dataset the sink writes, as a reader opens it.</summary>
    protected abstract LakeDataset Dataset { get; }

    /// <summary>The sink's settings that point it at <see cref="Dataset"/>.</summary>
    protected abstract IDictionary<string, string> StoreSettings { get; }

    private LakeView View => _view ??= new LakeView(Dataset);

    /// <summary>The visible files copied to a local directory, in the same layout, for DuckDB.</summary>
    private string Root => LakeFiles.Mirror(Dataset, _copy);

    [Fact]
    public async Task Sink_killed_at_random_points_and_restarted_leaves_each_reading_in_the_lake_exactly_once()
    {
        var start = UnixMicros.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 7, 30, 0, TimeSpan.Zero));
        var readings = LakeTopic.KnownReadings(Count, start);
        _topic.Produce(readings);

        var random = new Random(4242);
        var kills = 0;
        for (var run = 0; run < 5; run++)
        {
            var (process, metrics) = CloudSink.Start(_topic.Cluster.BootstrapServers, DataDir, maxRowsPerFile: 40, StoreSettings);
            await using (process)
            {
                // Kill after a random number of files in this run: mid-batch, mid-file, between rename and commit...
                var files = random.Next(1, 30);
                await Wait.UntilAsync(async () => await metrics.GetAsync("iott_cloud_lake_files_total") >= files || View.CountRows() >= Count,
                    $"{files} files written in this run, or the whole input in the lake", TimeSpan.FromSeconds(60));
                var before = View.CountRows();
                process.Kill();
                await process.WaitForExitAsync();
                if (before < Count) kills++;
                output.WriteLine($"run {run}: killed after >= {files} files, {before} rows visible");
                AssertNoPartialFile();
            }
        }
        Assert.True(kills >= 3, $"expected the sink to be killed while it still had work at least 3 times, got {kills}");

        // The last run cuts bigger files: file names come from offsets, so a changed setting cannot double a reading either.
        var (last, _) = CloudSink.Start(_topic.Cluster.BootstrapServers, DataDir, maxRowsPerFile: 1000, StoreSettings);
        await using (last)
        {
            await Wait.UntilAsync(() => View.CountRows() >= Count, $"{Count} rows in the lake", TimeSpan.FromSeconds(120));
        }

        AssertNoPartialFile();
        var root = Root;
        var glob = DuckDb.Literal(LakeFiles.Glob(root));
        var results = await DuckDb.QueryManyAsync(
        [
            $"SELECT count(*) AS n, count(DISTINCT (kafka_partition, kafka_offset)) AS d FROM read_parquet({glob}, hive_partitioning=true)",
            $"SELECT site, asset, sensor, epoch_us(time) AS us, value, quality, unit, source, epoch_us(ingest_time) AS ingest, kafka_partition, kafka_offset "
                + $"FROM read_parquet({glob}, hive_partitioning=true)",
        ]);
        Assert.Equal(Count.ToString(CultureInfo.InvariantCulture), results[0][0]["n"].ToString());
        Assert.Equal(Count.ToString(CultureInfo.InvariantCulture), results[0][0]["d"].ToString());

        string[] qualities = ["good", "uncertain", "bad"];
        var expected = readings.Select(r => $"{r.Site}|{r.Asset}|{r.Sensor}|{r.TimestampMicros}|{r.Value:R}|{qualities[(int)r.Quality]}|{r.Unit}|{r.Source}|{r.IngestTimeMicros}")
            .Order(StringComparer.Ordinal).ToList();
        var actual = results[1].Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{r["site"].GetString()}|{r["asset"].GetString()}|{r["sensor"].GetString()}|{r["us"]}|{r["value"].GetDouble():R}|{r["quality"].GetString()}|{r["unit"].GetString()}|{r["source"].GetString()}|{r["ingest"]}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);

        // Each row's Kafka coordinates are those of the record it came from.
        using var probe = new KafkaProbe(_topic.Cluster.BootstrapServers, LakeTopic.Telemetry, _topic.Partitions);
        await probe.WaitForCountAsync(Count);
        var byOffset = probe.Records.ToDictionary(cr => (cr.Partition.Value, cr.Offset.Value), cr => ReadingCodec.Decode(cr.Message.Value).Value);
        Assert.All(results[1], r => Assert.Equal(
            byOffset[(r["kafka_partition"].GetInt32(), long.Parse(r["kafka_offset"].ToString(), CultureInfo.InvariantCulture))], r["value"].GetDouble()));

        await AssertStatisticsAndPruning(root, readings);
    }

    /// <summary>Column statistics are there for readers to skip row groups, and a partition filter opens only the matching files.</summary>
    private static async Task AssertStatisticsAndPruning(string root, List<Reading> readings)
    {
        var glob = DuckDb.Literal(LakeFiles.Glob(root));
        var stats = await DuckDb.QueryAsync(
            $"SELECT path_in_schema AS col, stats_min, stats_max, stats_null_count FROM parquet_metadata({glob}) WHERE path_in_schema IN ('time', 'value', 'kafka_offset')");
        Assert.NotEmpty(stats);
        Assert.All(stats, r =>
        {
            Assert.NotEqual(System.Text.Json.JsonValueKind.Null, r["stats_min"].ValueKind);
            Assert.NotEqual(System.Text.Json.JsonValueKind.Null, r["stats_max"].ValueKind);
            Assert.Equal("0", r["stats_null_count"].ToString());
        });

        // (DuckDB takes the schema from the first file in glob order, which is in this partition.)
        // Spoil every file outside site=plant-a/date=2026-03-01/hour=07 in a copy of the lake: a query filtered on that
        // partition still succeeds, so it never opened them; an unfiltered one fails on the first spoiled file.
        var copy = RepoPaths.NewTempDirectory("lake-pruning");
        var matching = 0;
        foreach (var file in LakeFiles.Visible(root))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (target.Contains("site=plant-a/date=2026-03-01/hour=07/", StringComparison.Ordinal)) { File.Copy(file, target); matching++; }
            else File.WriteAllText(target, "not parquet");
        }
        Assert.True(matching > 0 && matching < LakeFiles.Visible(root).Count, $"{matching} files in the filtered partition");
        var copyGlob = DuckDb.Literal(LakeFiles.Glob(copy));
        var filtered = await DuckDb.QueryAsync(
            $"SELECT count(*) AS n, count(DISTINCT filename) AS files FROM read_parquet({copyGlob}, hive_partitioning=true, filename=true) "
            + "WHERE site = 'plant-a' AND date = '2026-03-01' AND hour = 7");
        var expected = readings.Count(r => r.Site == "plant-a" && r.Timestamp.Hour == 7);
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), filtered[0]["n"].ToString());
        Assert.Equal(matching.ToString(CultureInfo.InvariantCulture), filtered[0]["files"].ToString());
        await Assert.ThrowsAsync<DuckDbException>(() => DuckDb.QueryAsync($"SELECT count(*) FROM read_parquet({copyGlob}, hive_partitioning=true)"));
        Directory.Delete(copy, recursive: true);
    }

    /// <summary>Every file under a final name is a complete Parquet file (footer, magic, all row groups readable).</summary>
    private void AssertNoPartialFile() => View.CountRows();

    public virtual void Dispose()
    {
        _topic.Dispose();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
        try { Directory.Delete(_copy, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

/// <summary>The crash test on the local directory the sink writes by default.</summary>
public sealed class SinkCrashTests(ITestOutputHelper output) : SinkCrashScenario(output)
{
    protected override LakeDataset Dataset => LakeDataset.Local(Path.Combine(DataDir, "lake"));

    protected override IDictionary<string, string> StoreSettings { get; } = new Dictionary<string, string>();
}

/// <summary>The crash test with the lake in a container of Azurite: staged blocks, one PutBlockList, intents as blobs.</summary>
public sealed class AzuriteSinkCrashTests(ITestOutputHelper output, AzuriteFixture azurite) : SinkCrashScenario(output), IClassFixture<AzuriteFixture>
{
    private readonly LakeStoreOptions _options = azurite.NewOptions();
    private LakeDataset? _dataset;

    protected override LakeDataset Dataset => _dataset ??= new(LakeStores.OpenAzure(_options, DataDir), "lake");

    protected override IDictionary<string, string> StoreSettings => azurite.Server.LakeSettings(_options.Container!);
}
