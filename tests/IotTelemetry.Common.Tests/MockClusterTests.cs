using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.TestKit;

namespace IotTelemetry.Common.Tests;

public class MockClusterTests
{
    [Fact]
    public async Task An_embedded_cluster_creates_its_topics_and_carries_records()
    {
        using var cluster = KafkaCluster.Open("Edge", new KafkaClusterOptions { EmbeddedPartitions = 3 }, ["t1"]);
        Assert.True(cluster.IsEmbedded);
        Assert.StartsWith("127.0.0.1:", cluster.BootstrapServers);

        using (var producer = new ProducerBuilder<string, string>(cluster.ProducerConfig("p")).Build())
        {
            for (var i = 0; i < 30; i++) producer.Produce("t1", new Message<string, string> { Key = "k" + (i % 5), Value = "v" + i });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(20)));
        }

        using var consumer = new ConsumerBuilder<string, string>(cluster.ConsumerConfig("g", "c")).Build();
        consumer.Subscribe("t1");
        var seen = new HashSet<string>();
        var partitions = new HashSet<int>();
        await Wait.UntilAsync(() =>
        {
            var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (cr is not null) { seen.Add(cr.Message.Value); partitions.Add(cr.Partition.Value); }
            return seen.Count == 30;
        }, "30 records consumed");
        Assert.Equal(3, partitions.Count);
        consumer.Close();
    }

    [Fact]
    public void The_clients_and_the_mock_cluster_share_the_librdkafka_of_the_redist_package()
    {
        // Loads librdkafka the way Confluent.Kafka does, then the mock cluster binds to the same file.
        using var cluster = new MockCluster();
        Assert.Equal("2.16.0", KafkaLibrary.Version);
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        Assert.StartsWith(native + Path.DirectorySeparatorChar, KafkaLibrary.File);
        // The build in use must speak TLS and SASL PLAIN/SCRAM to real brokers.
        Assert.Superset(new HashSet<string> { "ssl", "sasl_plain", "sasl_scram" }, KafkaLibrary.BuiltinFeatures.ToHashSet());
    }
}
