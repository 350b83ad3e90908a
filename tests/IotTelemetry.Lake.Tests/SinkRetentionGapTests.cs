using Confluent.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>
/// Records the cloud cluster deleted (retention) while the sink was stopped never reach the lake: the sink must say
/// so, with the range and a metric, rather than skip them in silence when its consumer resets to the oldest record
/// left. librdkafka's mock cluster keeps about 5 MiB per partition, so writing more than that while the sink is away
/// deletes the offsets it resumes at.
/// </summary>
public sealed class SinkRetentionGapTests : IDisposable
{
    private readonly LakeTopic _topic = new(partitions: 1);
    private readonly string _dataDir = RepoPaths.NewTempDirectory("lake-gap");

    public void Dispose() => _topic.Dispose();

    [Fact]
    public async Task Offsets_deleted_before_the_sink_read_them_are_counted_and_logged_with_their_range()
    {
        var start = UnixMicros.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 7, 0, 0, TimeSpan.Zero));
        var readings = LakeTopic.KnownReadings(150_100, start);
        _topic.Produce(readings.Take(100));
        var (first, firstMetrics) = CloudSink.Start(_topic.Cluster.BootstrapServers, _dataDir, maxRowsPerFile: 50_000);
        await using (first)
            await firstMetrics.WaitForAsync("iott_cloud_lake_rows_total", 100, TimeSpan.FromSeconds(60));

        // While the sink is away, more than the mock's 5 MiB per partition arrives: the oldest records go, offset 100 with them.
        _topic.Produce(readings.Skip(100));
        var oldest = LowWatermark();
        Assert.True(oldest > 100, $"the cluster still holds offset {oldest}: nothing was deleted");

        var (second, secondMetrics) = CloudSink.Start(_topic.Cluster.BootstrapServers, _dataDir, maxRowsPerFile: 50_000);
        await using (second)
        {
            await secondMetrics.WaitForAsync("iott_cloud_lake_missing_offsets_total", 1, TimeSpan.FromSeconds(60));
            await second.WaitForLineAsync($"offsets 100..{oldest - 1} ({oldest - 100} records) were deleted by the cloud cluster before the sink read them",
                TimeSpan.FromSeconds(10));
            Assert.Equal(oldest - 100, await secondMetrics.GetAsync("iott_cloud_lake_missing_offsets_total"));
            // What was left is written as usual.
            await secondMetrics.WaitForAsync("iott_cloud_lake_rows_total", readings.Count - oldest, TimeSpan.FromSeconds(120));
        }
    }

    private long LowWatermark()
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = _topic.Cluster.BootstrapServers, GroupId = "watermarks-" + Guid.NewGuid().ToString("N"),
        }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(LakeTopic.Telemetry, 0), TimeSpan.FromSeconds(10)).Low.Value;
    }
}
