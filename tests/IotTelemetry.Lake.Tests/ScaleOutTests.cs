using System.Globalization;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>
/// Two cloud hosts in one consumer group write one lake (a shared directory, as object storage would be): they share
/// the partitions, and when one is SIGKILLed mid-stream the other takes its partitions over with no reading lost or doubled.
/// </summary>
public sealed class ScaleOutTests : IDisposable
{
    private const int Count = 48_000; // enough small files (100 rows each) that both members are still busy when one is killed
    private readonly LakeTopic _topic = new(partitions: 4);
    private readonly string _dataDir = RepoPaths.NewTempDirectory("lake-scale-out");

    private string Root => Path.Combine(_dataDir, "lake");

    [Fact]
    public async Task Two_sinks_share_the_partitions_and_the_survivor_of_a_kill_finishes_the_lake_exactly_once()
    {
        var start = UnixMicros.FromDateTimeOffset(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        _topic.Produce(LakeTopic.KnownReadings(Count, start));

        var (survivor, survivorMetrics) = CloudSink.Start(_topic.Cluster.BootstrapServers, _dataDir, maxRowsPerFile: 100);
        await using var _ = survivor;
        var (victim, victimMetrics) = CloudSink.Start(_topic.Cluster.BootstrapServers, _dataDir, maxRowsPerFile: 100);
        await using (victim)
        {
            // Both members hold partitions: each has written files of its own.
            await Wait.UntilAsync(async () => await survivorMetrics.GetAsync("iott_cloud_lake_files_total") >= 2
                                              && await victimMetrics.GetAsync("iott_cloud_lake_files_total") >= 2,
                "both sinks writing files", TimeSpan.FromSeconds(90));
            victim.Kill();
            await victim.WaitForExitAsync();
        }
        Assert.True(LakeFiles.CountRows(Root) < Count, "the second sink was killed while work was left");

        await Wait.UntilAsync(() => LakeFiles.CountRows(Root) >= Count, $"{Count} rows in the lake", TimeSpan.FromSeconds(120));
        var glob = DuckDb.Literal(LakeFiles.Glob(Root));
        var counts = await DuckDb.QueryAsync(
            $"SELECT count(*) AS n, count(DISTINCT (kafka_partition, kafka_offset)) AS d, count(DISTINCT kafka_partition) AS p FROM read_parquet({glob}, hive_partitioning=true)");
        Assert.Equal(Count.ToString(CultureInfo.InvariantCulture), counts[0]["n"].ToString());
        Assert.Equal(Count.ToString(CultureInfo.InvariantCulture), counts[0]["d"].ToString());
        Assert.Equal("4", counts[0]["p"].ToString());
        Assert.False(survivor.HasExited, survivor.Output);
    }

    public void Dispose()
    {
        _topic.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
