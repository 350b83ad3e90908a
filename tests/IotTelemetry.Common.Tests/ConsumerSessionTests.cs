using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace IotTelemetry.Common.Tests;

/// <summary>
/// The consumer building block every consumer service runs on (<see cref="ConsumerSession"/> in a <see cref="RestartingLoop"/>,
/// commits through <see cref="DurableOffsets"/>), against librdkafka's mock cluster.
/// </summary>
public class ConsumerSessionTests
{
    private const string Topic = "readings";

    [Fact]
    public async Task A_failure_in_processing_restarts_the_session_from_the_last_commit_with_nothing_lost_or_written_twice()
    {
        using var cluster = KafkaCluster.Open("Cloud", new KafkaClusterOptions { EmbeddedPartitions = 2 }, [Topic]);
        ProduceNumbered(cluster, perPartition: 50);
        var store = new List<(int Partition, long Offset)>(); // what the "sink" made durable, in order
        var failures = new List<TimeSpan>();
        var failed = false;
        using var stop = new CancellationTokenSource();

        void Session(CancellationToken ct)
        {
            var batch = new List<(int, long)>(); // held in memory: lost with the session, so read again after a restart
            var offsets = new DurableOffsets();
            var idle = false;
            void Flush(IConsumer<byte[]?, byte[]?> consumer)
            {
                lock (store) store.AddRange(batch); // the write...
                batch.Clear();
                offsets.ReadIsDurable(); // ...then what it covers is committed
                offsets.Commit(consumer);
            }
            new ConsumerSession
            {
                Topic = Topic,
                Config = Config(cluster, "sink"),
                Client = "test consumer",
                Record = (_, cr) =>
                {
                    idle = false;
                    if (cr.Partition.Value == 0 && cr.Offset.Value == 33 && !failed)
                    {
                        failed = true;
                        throw new InvalidOperationException("the store went away");
                    }
                    batch.Add((cr.Partition.Value, cr.Offset.Value));
                    offsets.Read(cr);
                },
                AfterPoll = consumer =>
                {
                    if (batch.Count >= 10 || idle && batch.Count > 0) Flush(consumer);
                    idle = true;
                },
                Stopping = Flush,
            }.Run(NullLogger.Instance, ct);
        }

        var loop = RestartingLoop.Start(Session, ex => ex is InvalidOperationException, (_, pause) => { lock (failures) failures.Add(pause); }, stop.Token);
        await Wait.UntilAsync(() => { lock (store) return store.Count >= 100; }, "100 records made durable", TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Wait.ForAsync(loop, "the loop to stop");

        Assert.True(failed);
        Assert.Equal([RestartingLoop.FirstPause], failures);
        lock (store)
        {
            Assert.Equal(100, store.Count); // a record committed before the failure is not written again
            foreach (var partition in new[] { 0, 1 })
                Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), store.Where(r => r.Partition == partition).Select(r => r.Offset));
        }
    }

    [Fact]
    public async Task A_commit_never_passes_an_offset_whose_write_was_not_reported_durable()
    {
        using var cluster = KafkaCluster.Open("Cloud", new KafkaClusterOptions { EmbeddedPartitions = 1 }, [Topic]);
        ProduceNumbered(cluster, perPartition: 20);
        var read = 0;

        // The target acknowledges offsets 0..11 only (the rest stay in flight): the group's offset must stop at 12.
        using (var stop = new CancellationTokenSource())
        {
            var offsets = new DurableOffsets();
            var session = Task.Run(() => new ConsumerSession
            {
                Topic = Topic,
                Config = Config(cluster, "link"),
                Client = "test consumer",
                Record = (_, cr) =>
                {
                    Interlocked.Increment(ref read);
                    if (cr.Offset.Value < 12) offsets.Durable(cr.TopicPartition, cr.Offset.Value + 1);
                },
                AfterPoll = offsets.Commit,
                Stopping = offsets.Commit,
            }.Run(NullLogger.Instance, stop.Token));
            await Wait.UntilAsync(() => Volatile.Read(ref read) == 20, "all 20 records read");
            await stop.CancelAsync();
            await Wait.ForAsync(session, "the session to stop");
        }
        Assert.Equal(12, CommittedOffset(cluster, "link"));

        // The next session of the group starts right after the last durable write.
        long? first = null;
        using (var stop = new CancellationTokenSource())
        {
            var session = Task.Run(() => new ConsumerSession
            {
                Topic = Topic,
                Config = Config(cluster, "link"),
                Client = "test consumer",
                Record = (_, cr) => first ??= cr.Offset.Value,
            }.Run(NullLogger.Instance, stop.Token));
            await Wait.UntilAsync(() => first is not null, "a record in the second session");
            await stop.CancelAsync();
            await Wait.ForAsync(session, "the session to stop");
        }
        Assert.Equal(12, first);
    }

    [Fact]
    public void Read_records_are_committed_only_once_declared_durable()
    {
        using var cluster = KafkaCluster.Open("Cloud", new KafkaClusterOptions { EmbeddedPartitions = 1 }, [Topic]);
        ProduceNumbered(cluster, perPartition: 5);
        using var consumer = KafkaClients.Consumer<byte[]?, byte[]?>(Config(cluster, "batch"), null, "test consumer").Build();
        consumer.Assign(new TopicPartitionOffset(Topic, 0, Offset.Beginning));
        var offsets = new DurableOffsets();
        for (var n = 0; n < 5;)
            if (consumer.Consume(TimeSpan.FromSeconds(10)) is { } cr) { offsets.Read(cr); n++; }
        Assert.True(offsets.HasRead);

        offsets.Commit(consumer); // nothing durable yet
        Assert.Null(CommittedOffset(cluster, "batch"));

        offsets.ReadIsDurable();
        Assert.False(offsets.HasRead);
        offsets.Commit(consumer);
        Assert.Equal(5, CommittedOffset(cluster, "batch"));
        consumer.Close();
    }

    [Fact]
    public void A_target_topic_with_fewer_partitions_than_the_source_is_reported_with_both_counts()
    {
        using var cluster = KafkaCluster.Open("Edge", new KafkaClusterOptions { EmbeddedPartitions = 4 }, ["source"]);
        cluster.Mock!.CreateTopic("narrow", 2);
        cluster.Mock.CreateTopic("wide", 6);
        using var admin = KafkaClients.Admin(AdminConfig(cluster), null, "test admin");
        var timeout = TimeSpan.FromSeconds(30);

        var error = Assert.Throws<InvalidOperationException>(() =>
            PartitionCounts.Require(new(admin, "source", "edge topic"), new(admin, "narrow", "cloud topic"), "the mirror", timeout));
        Assert.Equal("cloud topic 'narrow' has 2 partitions but edge topic 'source' has 4; the mirror keeps partition numbers, " +
            "so create the cloud topic with at least as many partitions", error.Message);
        PartitionCounts.Require(new(admin, "source", "edge topic"), new(admin, "wide", "cloud topic"), "the mirror", timeout);
        PartitionCounts.Require(new(admin, "source", "edge topic"), new(admin, "source", "cloud topic"), "the mirror", timeout);
    }

    [Fact]
    public async Task The_pause_between_sessions_doubles_from_half_a_second_and_a_failure_not_restartable_ends_the_loop()
    {
        var pauses = new List<TimeSpan>();
        var runs = 0;
        using var stop = new CancellationTokenSource();
        var loop = RestartingLoop.Start(_ =>
        {
            if (++runs <= 3) throw new IOException("down");
            throw new ArgumentException("a bug, not an outage");
        }, ex => ex is IOException, (_, pause) => pauses.Add(pause), stop.Token);

        var ended = await Assert.ThrowsAsync<ArgumentException>(() => Wait.ForAsync(loop, "the loop to end"));
        Assert.Equal("a bug, not an outage", ended.Message);
        Assert.Equal(4, runs);
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], pauses);
    }

    [Fact]
    public async Task Stopping_during_a_pause_ends_the_loop_at_once_without_a_failure()
    {
        var failures = 0;
        using var stop = new CancellationTokenSource();
        var loop = RestartingLoop.Start(_ => throw new IOException("down"), _ => true, (_, _) => Interlocked.Increment(ref failures), stop.Token);
        await Wait.UntilAsync(() => Volatile.Read(ref failures) >= 3, "three failures (pauses of 0.5, 1 and 2 s)");
        await stop.CancelAsync(); // the loop is in its 2 s pause
        await Wait.ForAsync(loop, "the loop to stop before its pause ends", TimeSpan.FromSeconds(1.5));
        Assert.True(loop.IsCompletedSuccessfully);
    }

    private static ConsumerConfig Config(KafkaCluster cluster, string group)
    {
        var config = cluster.ConsumerConfig(group, "test-" + group);
        config.FetchWaitMaxMs = 10;
        return config;
    }

    /// <summary>Records 0..n-1 into every partition, each value its own index.</summary>
    private static void ProduceNumbered(KafkaCluster cluster, int perPartition)
    {
        using var admin = KafkaClients.Admin(AdminConfig(cluster), null, "test admin");
        var count = admin.GetMetadata(Topic, TimeSpan.FromSeconds(30)).Topics.Single().Partitions.Count;
        using var producer = KafkaClients.Producer<byte[]?, byte[]?>(cluster.ProducerConfig("test-producer"), null, "test producer").Build();
        for (var p = 0; p < count; p++)
            for (var i = 0; i < perPartition; i++)
                producer.Produce(new TopicPartition(Topic, p), new Message<byte[]?, byte[]?> { Value = Encoding.UTF8.GetBytes(i.ToString()) });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    private static AdminClientConfig AdminConfig(KafkaCluster cluster)
    {
        var config = new AdminClientConfig();
        cluster.ApplyTo(config, "test-admin");
        return config;
    }

    /// <summary>The group's committed offset of partition 0, or null when it has none.</summary>
    private static long? CommittedOffset(KafkaCluster cluster, string group)
    {
        using var probe = KafkaClients.Consumer<byte[]?, byte[]?>(cluster.ConsumerConfig(group, "test-probe"), null, "probe").Build();
        var committed = probe.Committed([new TopicPartition(Topic, 0)], TimeSpan.FromSeconds(30)).Single().Offset;
        return committed == Offset.Unset ? null : committed.Value;
    }
}
