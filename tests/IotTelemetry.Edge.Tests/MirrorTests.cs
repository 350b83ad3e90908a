using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Mirror;
using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests;

/// <summary>The mirror as it runs in production: the edge agent's process, killed and restarted, and a cloud outage.</summary>
public sealed class MirrorTests : IDisposable
{
    private const int Partitions = 4;
    private readonly MockCluster _edge = new();
    private readonly MockCluster _cloud = new();

    public MirrorTests()
    {
        _edge.CreateTopic("telemetry", Partitions);
        _edge.CreateTopic("telemetry.deadletter", 1);
        _cloud.CreateTopic("telemetry", Partitions);
    }

    private ExternalProcess StartMirror(IDictionary<string, string>? extra = null)
    {
        var settings = Programs.EdgeSettings(_edge.BootstrapServers, _cloud.BootstrapServers);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) settings[key] = value;
        return Programs.Start(Programs.EdgeDll, settings);
    }

    [Fact]
    public async Task Killing_the_mirror_mid_stream_and_restarting_it_loses_and_doubles_nothing()
    {
        using var source = new ReadingSource(_edge.BootstrapServers);
        using var cloud = new KafkaProbe(_cloud.BootstrapServers, "telemetry", Partitions);

        await using (var first = StartMirror())
        {
            source.Write(20_000);
            await cloud.WaitForCountAsync(2_000, TimeSpan.FromSeconds(60));
            var producing = Task.Run(() => source.Write(20_000));
            first.Kill(); // SIGKILL while records are still flowing
            await producing;
        }
        Assert.True(cloud.Records.Count < 40_000, "the mirror was killed before it copied everything");

        await using (var second = StartMirror())
        {
            source.Write(10_000);
            await cloud.WaitForCountAsync(50_000, TimeSpan.FromSeconds(120));
            await WaitUntilCommittedToEnd();
            cloud.Poll(TimeSpan.FromSeconds(1));
        }

        AssertExactlyOnceInOrder(cloud.Records, source.Written);
    }

    [Fact]
    public async Task A_cloud_outage_is_ridden_out_with_no_gap_and_no_duplicate()
    {
        using var source = new ReadingSource(_edge.BootstrapServers);
        using var cloud = new KafkaProbe(_cloud.BootstrapServers, "telemetry", Partitions);
        await using var mirror = StartMirror();
        source.Write(5_000);
        await cloud.WaitForCountAsync(5_000, TimeSpan.FromSeconds(60));

        _cloud.SetAllDown();
        source.Write(5_000); // the edge topic buffers these while the uplink is down
        _cloud.SetAllUp();
        await ExpectEverythingCopiedOnce(cloud, source, 10_000);
    }

    [Fact]
    public async Task An_outage_longer_than_the_mirror_queue_waits_on_the_full_queue_and_loses_and_doubles_nothing()
    {
        using var source = new ReadingSource(_edge.BootstrapServers);
        using var cloud = new KafkaProbe(_cloud.BootstrapServers, "telemetry", Partitions);
        var settings = Programs.EdgeSettings(_edge.BootstrapServers, _cloud.BootstrapServers);
        settings["Mirror:MaxQueuedMessages"] = "1000"; // the memory bound: the outage below holds 8 times as many
        settings["Mirror:MaxQueuedKbytes"] = "1024";
        settings["Mirror:PrefetchKbytes"] = "1024";
        await using var mirror = Programs.Start(Programs.EdgeDll, settings);
        var metrics = new HostMetrics(settings["Edge:Urls"]);
        source.Write(2_000);
        await cloud.WaitForCountAsync(2_000, TimeSpan.FromSeconds(60));

        _cloud.SetAllDown();
        source.Write(8_000);
        // The outage lasts until the mirror holds a full queue and waits on it.
        await metrics.WaitForAsync("iott_edge_mirror_in_flight", 1000, TimeSpan.FromSeconds(60));
        _cloud.SetAllUp();
        await ExpectEverythingCopiedOnce(cloud, source, 10_000);
    }

    [Theory]
    [InlineData("Mirror:MaxQueuedMessages", "10")]
    [InlineData("Mirror:MaxQueuedKbytes", "0")]
    [InlineData("Mirror:PrefetchKbytes", "-1")]
    public async Task A_mirror_queue_bound_out_of_range_stops_start_up_naming_the_key(string key, string value)
    {
        await using var agent = StartMirror(new Dictionary<string, string> { [key] = value });
        Assert.NotEqual(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(agent.Lines, l => l.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_plants_mirror_into_one_cloud_topic_and_a_crash_of_one_loses_and_doubles_nothing_of_either()
    {
        using var secondEdge = new MockCluster();
        secondEdge.CreateTopic("telemetry", Partitions);
        secondEdge.CreateTopic("telemetry.deadletter", 1);
        using var plantT = new ReadingSource(_edge.BootstrapServers, "plant-t");
        using var plantU = new ReadingSource(secondEdge.BootstrapServers, "plant-u");
        using var cloud = new KafkaProbe(_cloud.BootstrapServers, "telemetry", Partitions);
        ExternalProcess StartPlantU()
        {
            var settings = Programs.EdgeSettings(secondEdge.BootstrapServers, _cloud.BootstrapServers);
            settings["Edge:Site"] = "plant-u";
            return Programs.Start(Programs.EdgeDll, settings);
        }

        await using var mirrorT = StartMirror();
        await using (var first = StartPlantU())
        {
            plantT.Write(10_000);
            plantU.Write(10_000);
            await cloud.WaitForCountAsync(12_000, TimeSpan.FromSeconds(90));
            var producing = Task.Run(() => plantU.Write(10_000));
            first.Kill(); // SIGKILL of one plant's agent while both plants' records flow into the same cloud partitions
            plantT.Write(5_000);
            await producing;
        }
        await using (var second = StartPlantU())
        {
            plantU.Write(5_000);
            await cloud.WaitForCountAsync(40_000, TimeSpan.FromSeconds(120));
            await WaitUntilCommittedToEnd(_edge);
            await WaitUntilCommittedToEnd(secondEdge);
            cloud.Poll(TimeSpan.FromSeconds(1));
        }

        AssertExactlyOnceInOrder(cloud.Records, plantT.Written, "plant-t");
        AssertExactlyOnceInOrder(cloud.Records, plantU.Written, "plant-u");
        Assert.Equal(40_000, cloud.Records.Count);
    }

    private Task WaitUntilCommittedToEnd() => WaitUntilCommittedToEnd(_edge);

    private static async Task WaitUntilCommittedToEnd(MockCluster edge)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = edge.BootstrapServers, GroupId = "iott-mirror" })
            .SetLogHandler((_, _) => { }).Build();
        var partitions = Enumerable.Range(0, Partitions).Select(p => new TopicPartition("telemetry", p)).ToList();
        await Wait.UntilAsync(() =>
        {
            var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(10));
            return committed.All(c => c.Offset.Value == consumer.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(10)).High.Value);
        }, "the mirror group committed every edge partition to its end", TimeSpan.FromSeconds(60));
    }

    private static void AssertExactlyOnceInOrder(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> allCopies,
        IReadOnlyDictionary<int, SortedDictionary<long, double>> written, string site = "plant-t")
    {
        var link = MirrorHeaders.LinkId(site, "telemetry");
        var copies = allCopies.Where(c => MirrorHeaders.TryRead(c.Message.Headers, link, out _)).ToList(); // this plant's copies
        foreach (var (partition, values) in written)
        {
            var inPartition = copies.Where(c => c.Partition.Value == partition).ToList();
            var offsets = inPartition.Select(c => MirrorHeaders.TryRead(c.Message.Headers, link, out var o) ? o : -1L).ToList();
            Assert.Equal(values.Keys, offsets); // every edge record once, in edge order
            Assert.Equal(values.Values, inPartition.Select(c => ReadingCodec.Decode(c.Message.Value).Value));
        }
        Assert.Equal(written.Values.Sum(v => v.Count), copies.Count);
    }

    public void Dispose()
    {
        _cloud.Dispose();
        _edge.Dispose();
    }

    /// <summary>Writes numbered readings to the edge topic and remembers, per partition, the values in offset order.</summary>
    /// <summary>After an outage: all <paramref name="count"/> records in the cloud, the edge offsets committed to the end, none twice.</summary>
    private async Task ExpectEverythingCopiedOnce(KafkaProbe cloud, ReadingSource source, int count)
    {
        await cloud.WaitForCountAsync(count, TimeSpan.FromSeconds(120));
        await WaitUntilCommittedToEnd();
        cloud.Poll(TimeSpan.FromSeconds(1));
        AssertExactlyOnceInOrder(cloud.Records, source.Written);
    }

    private sealed class ReadingSource : IDisposable
    {
        private readonly ReadingProducer _producer;
        private readonly Dictionary<int, SortedDictionary<long, double>> _written = [];
        private readonly List<string> _failures = [];
        private int _next;

        private readonly string _site;

        public ReadingSource(string bootstrap, string site = "plant-t")
        {
            _site = site;
            _producer = new ReadingProducer(bootstrap);
        }

        public IReadOnlyDictionary<int, SortedDictionary<long, double>> Written => _written;

        public void Write(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var n = Interlocked.Increment(ref _next);
                var r = new Reading(_site, $"pump-{n % 16:00}", "vibration", 1_795_000_000_000_000 + n, n, Quality.Good, "mm/s", "test", 0);
                _producer.Send(r, delivered: report =>
                {
                    lock (_written)
                    {
                        if (report.Error.IsError) { _failures.Add(report.Error.Reason); return; }
                        if (!_written.TryGetValue(report.Partition.Value, out var byOffset)) _written[report.Partition.Value] = byOffset = [];
                        if (!byOffset.TryAdd(report.Offset.Value, ReadingCodec.Decode(report.Message.Value).Value))
                            _failures.Add($"offset {report.Offset.Value} of partition {report.Partition.Value} acknowledged twice");
                    }
                });
            }
            _producer.Flush();
            lock (_written) Assert.Equal("", string.Join("; ", _failures.Take(5)));
        }

        public void Dispose() => _producer.Dispose();
    }
}
