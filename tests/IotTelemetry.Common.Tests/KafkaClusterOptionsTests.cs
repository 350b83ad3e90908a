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
}
