using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests;

/// <summary>
/// An outage longer than the edge buffer holds: while the agent is down the edge cluster deletes records it has
/// not copied yet (the mock cluster keeps about 5 MiB per partition, as a broker's retention would). The loss
/// cannot be undone, but it must be reported exactly, and everything still held must arrive once.
/// </summary>
public sealed class MirrorRetentionTests : IDisposable
{
    private readonly MockCluster _edge = new();
    private readonly MockCluster _cloud = new();

    public MirrorRetentionTests()
    {
        _edge.CreateTopic("telemetry", 1);
        _edge.CreateTopic("telemetry.deadletter", 1);
        _cloud.CreateTopic("telemetry", 1);
    }

    private Dictionary<string, string> Settings() => Programs.EdgeSettings(_edge.BootstrapServers, _cloud.BootstrapServers);

    [Fact]
    public async Task Records_deleted_at_the_edge_before_they_were_copied_are_counted_and_logged_and_the_rest_arrive_once()
    {
        using var producer = new ReadingProducer(_edge.BootstrapServers);
        var padding = new string('x', 2_000); // ~2 KB records: a few thousand overflow the partition
        void Write(int from, int count) =>
            producer.Produce(Enumerable.Range(from, count).Select(n => new Reading("plant-t", "pump-01", "vibration", 1_795_000_000_000_000 + n, n, Quality.Good, "mm/s", "test:" + padding, 0)));
        using var cloud = new KafkaProbe(_cloud.BootstrapServers, "telemetry", 1);

        await using (var first = Programs.Start(Programs.EdgeDll, Settings()))
        {
            Write(0, 500);
            await cloud.WaitForCountAsync(500, TimeSpan.FromSeconds(60));
        } // the agent is down: the uplink outage outlasts the edge buffer
        Write(500, 4_500);
        var edgeMarks = EdgeWatermarks();
        Assert.True(edgeMarks.Low.Value > 500, $"the edge cluster deleted records the mirror had not copied yet (edge offsets {edgeMarks.Low}..{edgeMarks.High})");

        var settings = Settings();
        await using var second = Programs.Start(Programs.EdgeDll, settings);
        var metrics = new HostMetrics(settings["Edge:Urls"]);
        var held = (int)(edgeMarks.High.Value - edgeMarks.Low.Value);
        await cloud.WaitForCountAsync(500 + held, TimeSpan.FromSeconds(90));
        await metrics.WaitForAsync("iott_edge_mirror_missing_offsets_total", edgeMarks.Low.Value - 500, TimeSpan.FromSeconds(30));
        cloud.Poll(TimeSpan.FromSeconds(1));

        Assert.Equal(edgeMarks.Low.Value - 500, await metrics.GetAsync("iott_edge_mirror_missing_offsets_total"));
        Assert.Contains(second.Lines, l => l.Contains($"Mirror telemetry[0]: offsets 500..{edgeMarks.Low.Value - 1} ({edgeMarks.Low.Value - 500} records) were deleted", StringComparison.Ordinal));
        var values = cloud.Records.Select(c => ReadingCodec.Decode(c.Message.Value).Value).ToList();
        Assert.Equal(Enumerable.Range(0, 500).Concat(Enumerable.Range((int)edgeMarks.Low.Value, held)).Select(n => (double)n), values);
    }

    private WatermarkOffsets EdgeWatermarks()
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = _edge.BootstrapServers, GroupId = "watermarks" })
            .SetLogHandler((_, _) => { }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition("telemetry", 0), TimeSpan.FromSeconds(10));
    }

    public void Dispose()
    {
        _cloud.Dispose();
        _edge.Dispose();
    }
}
