using Confluent.Kafka;
using IotTelemetry.Common.Configuration;
using IotTelemetry.Common.Kafka;

namespace IotTelemetry.Common.Tests;

public class KafkaClusterOptionsTests
{
    private static IReadOnlyList<string> Problems(KafkaClusterOptions o)
    {
        var errors = new ConfigErrors();
        o.Validate("Kafka:Edge", errors);
        return errors.Problems;
    }

    [Fact]
    public void Embedded_needs_nothing_else() => Assert.Empty(Problems(new KafkaClusterOptions()));

    [Fact]
    public void A_bootstrap_without_port_names_the_key_and_the_expected_form()
    {
        var p = Assert.Single(Problems(new KafkaClusterOptions { BootstrapServers = "kafka-1" }));
        Assert.Equal("Kafka:Edge:BootstrapServers: expected host:port[,host:port...] or 'embedded', got 'kafka-1'", p);
    }

    [Fact]
    public void Sasl_without_credentials_is_refused_without_showing_secrets()
    {
        var problems = Problems(new KafkaClusterOptions
        {
            BootstrapServers = "k:9093", SecurityProtocol = "SaslSsl", SaslMechanism = "SCRAM-SHA-512", SaslUsername = "plant-a",
        });
        Assert.Contains(problems, p => p.StartsWith("Kafka:Edge:SaslPassword: expected a password"));
    }

    [Fact]
    public void A_sasl_password_never_appears_in_problems()
    {
        var problems = Problems(new KafkaClusterOptions
        {
            BootstrapServers = "k:9093", SecurityProtocol = "SaslSsl", SaslMechanism = "MD5", SaslUsername = "u", SaslPassword = "hunter2-secret",
        });
        Assert.Contains(problems, p => p.StartsWith("Kafka:Edge:SaslMechanism"));
        Assert.DoesNotContain(problems, p => p.Contains("hunter2-secret"));
    }

    [Fact]
    public void An_unknown_security_protocol_lists_the_valid_ones()
    {
        var p = Assert.Single(Problems(new KafkaClusterOptions { SecurityProtocol = "tls" }));
        Assert.Contains("Plaintext, Ssl, SaslPlaintext, SaslSsl", p);
    }

    [Fact]
    public void A_password_file_is_read_and_trimmed()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "s3cret\n");
        var errors = new ConfigErrors();
        Assert.Equal("s3cret", Secrets.Resolve(null, file, "K", errors));
        Assert.Empty(errors.Problems);
        File.Delete(file);
    }

    [Fact]
    public void A_fetch_below_the_consumers_record_limit_is_refused_naming_the_key()
    {
        var p = Assert.Single(Problems(new KafkaClusterOptions { FetchMaxBytes = 65_536 }));
        Assert.Equal("Kafka:Edge:FetchMaxBytes: expected a number from 1000000 to 2147483135, got 65536", p);
    }

    [Fact]
    public void The_producer_linger_is_a_setting_and_a_negative_one_is_refused_naming_the_key()
    {
        using var cluster = KafkaCluster.Open("Edge", new KafkaClusterOptions { BootstrapServers = "k:9092", LingerMs = 100 }, []);
        Assert.Equal(100, cluster.ProducerConfig("p").LingerMs);
        var p = Assert.Single(Problems(new KafkaClusterOptions { LingerMs = -1 }));
        Assert.Equal("Kafka:Edge:LingerMs: expected a number from 0 to 10000, got -1", p);
    }

    [Fact]
    public void Clients_get_the_memory_bounds_and_librdkafka_accepts_them()
    {
        using var mock = new MockCluster();
        using var cluster = KafkaCluster.Connect("Edge", mock.BootstrapServers);
        var consumerConfig = cluster.ConsumerConfig("g", "c");
        Assert.Equal(8_192, consumerConfig.QueuedMaxMessagesKbytes);
        Assert.Equal(4 * 1024 * 1024, consumerConfig.FetchMaxBytes);
        Assert.Equal(256 * 1024, consumerConfig.MaxPartitionFetchBytes);
        Assert.Equal(10, consumerConfig.FetchQueueBackoffMs); // librdkafka's 1,000 ms paused a full queue's next fetch for a second
        var producerConfig = cluster.ProducerConfig("p");
        Assert.Equal("none", producerConfig.DeliveryReportFields); // no record copied back into each delivery report
        Assert.Equal(32_768, producerConfig.QueueBufferingMaxKbytes);
        Assert.Equal(5, producerConfig.LingerMs);
        // librdkafka checks its configuration when a client is built (fetch.max.bytes against message.max.bytes, ...).
        using var consumer = new ConsumerBuilder<byte[], byte[]>(consumerConfig).SetLogHandler((_, _) => { }).Build();
        using var producer = new ProducerBuilder<byte[], byte[]>(producerConfig).SetLogHandler((_, _) => { }).Build();
    }

    [Fact]
    public void Properties_override_the_bounds_and_the_producer_queue_holds_two_of_the_largest_records()
    {
        using var cluster = KafkaCluster.Open("Edge", new KafkaClusterOptions
        {
            BootstrapServers = "k:9092", MessageMaxBytes = 100_000_000,
            Properties = new() { ["fetch.max.bytes"] = "52428800" },
        }, []);
        Assert.Equal(52_428_800, cluster.ConsumerConfig("g", "c").FetchMaxBytes);
        Assert.Equal(100_000_000 / 1024 * 2, cluster.ProducerConfig("p").QueueBufferingMaxKbytes);
    }
}
