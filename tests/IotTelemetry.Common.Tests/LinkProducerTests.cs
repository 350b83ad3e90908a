using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace IotTelemetry.Common.Tests;

/// <summary>The producer of the mirror and vendor sessions, against librdkafka's mock cluster taken down.</summary>
public class LinkProducerTests
{
    [Fact]
    public async Task A_full_queue_makes_Produce_wait_and_a_failed_delivery_becomes_the_session_failure()
    {
        using var cluster = KafkaCluster.Open("Cloud", new KafkaClusterOptions { EmbeddedPartitions = 1 }, ["copies"]);
        cluster.Mock!.SetAllDown();
        var config = cluster.ProducerConfig("test-link");
        config.QueueBufferingMaxMessages = 1; // room for one record while the cluster is away
        config.MessageTimeoutMs = 1000; // the first record gives up, which makes room for the second
        using var link = new LinkProducer(config, NullLogger.Instance, "test producer", "target producer");
        var target = new TopicPartition("copies", 0);
        var delivered = 0;
        var message = new Message<byte[]?, byte[]?> { Value = [1] };

        link.ThrowIfFailed(); // nothing failed yet
        link.Produce(target, message, () => Interlocked.Increment(ref delivered), CancellationToken.None);
        // The queue is full: this call waits (polling the producer) until the first record times out, instead of failing.
        link.Produce(target, message, () => Interlocked.Increment(ref delivered), CancellationToken.None);

        InvalidOperationException? failure = null;
        await Wait.UntilAsync(() =>
        {
            try { link.ThrowIfFailed(); return false; }
            catch (InvalidOperationException ex) { failure = ex; return true; }
        }, "the timed-out delivery reported as the session's failure");
        Assert.StartsWith("target producer failed: ", failure!.Message);
        Assert.IsType<KafkaException>(failure.InnerException);
        Assert.Equal(0, Volatile.Read(ref delivered));
    }
}
