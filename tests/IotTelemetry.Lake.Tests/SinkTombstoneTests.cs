using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>A partition retention dropped stays dropped: late readings for it do not bring it back.</summary>
public sealed class SinkTombstoneTests : IDisposable
{
    private readonly LakeTopic _topic = new(partitions: 2);
    private readonly string _dataDir = RepoPaths.NewTempDirectory("lake-tombstone");

    private string Root => Path.Combine(_dataDir, "lake");

    [Fact]
    public async Task Sink_drops_late_readings_for_a_tombstoned_partition_and_writes_the_others()
    {
        var start = UnixMicros.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 7, 0, 0, TimeSpan.Zero));
        var readings = LakeTopic.KnownReadings(600, start); // 07:00 to 10:00, two sites
        var dropped = Path.Combine(Root, "site=plant-a", "date=2026-03-01", "hour=07");
        new Tombstone("site=plant-a/date=2026-03-01/hour=07", DateTimeOffset.UtcNow, "test", [], 0).Write(LakeDataset.Local(Root));
        _topic.Produce(readings);
        var late = readings.Count(r => r.Site == "plant-a" && r.Timestamp.Hour == 7);

        var (process, metrics) = CloudSink.Start(_topic.Cluster.BootstrapServers, _dataDir, maxRowsPerFile: 100);
        await using (process)
        {
            await metrics.WaitForAsync("iott_cloud_lake_rows_total", readings.Count - late, TimeSpan.FromSeconds(60));
            await metrics.WaitForAsync("iott_cloud_lake_tombstoned_rows_total", late);
            Assert.Equal(readings.Count - late, await metrics.GetAsync("iott_cloud_lake_rows_total"));
        }
        Assert.Equal([LakeLayout.TombstoneFileName], Directory.EnumerateFileSystemEntries(dropped).Select(Path.GetFileName));
        Assert.Equal(readings.Count - late, LakeFiles.CountRows(Root));
    }

    public void Dispose()
    {
        _topic.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
