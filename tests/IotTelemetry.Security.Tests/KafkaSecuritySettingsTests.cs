using System.Diagnostics;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.TestKit;

namespace IotTelemetry.Security.Tests;

/// <summary>
/// SASL and TLS settings of a configured cluster reach librdkafka unchanged, and librdkafka accepts them (it loads
/// the CA, certificate and encrypted key when a client is built). The mock cluster does not speak SASL, so the
/// broker side is Kafka's own (see deploy/kafka-acls).
/// </summary>
public sealed class KafkaSecuritySettingsTests : IAsyncLifetime
{
    private const string KeyPassword = "key-pw-7f3a91c2";
    private TestCertificates _certs = null!;
    private string _encryptedKey = null!;

    public async Task InitializeAsync()
    {
        _certs = await TestCertificates.CreateAsync(RepoPaths.NewTempDirectory("kafka-tls"));
        _encryptedKey = Path.Combine(_certs.Directory, "client-encrypted.key");
        await OpenSsl.RunAsync("pkey", "-in", _certs.ClientKey, "-aes256", "-passout", "pass:" + KeyPassword, "-out", _encryptedKey);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private KafkaClusterOptions SaslSsl(string mechanism, string? keyPassword = KeyPassword)
    {
        var passwordFile = Path.Combine(_certs.Directory, "sasl-password");
        File.WriteAllText(passwordFile, "sasl-pw-from-file\n");
        return new KafkaClusterOptions
        {
            BootstrapServers = $"127.0.0.1:{FreePort.Next()}",
            SecurityProtocol = "SaslSsl",
            SaslMechanism = mechanism,
            SaslUsername = "iott-edge",
            SaslPasswordFile = passwordFile,
            SslCaLocation = _certs.CaCertificate,
            SslCertificateLocation = _certs.ClientCertificate,
            SslKeyLocation = _encryptedKey,
            SslKeyPassword = keyPassword,
            Properties = { ["ssl.endpoint.identification.algorithm"] = "https" },
        };
    }

    [Theory]
    [InlineData("SCRAM-SHA-512")]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("PLAIN")]
    public void Sasl_and_tls_settings_are_passed_to_librdkafka_and_accepted_by_it(string mechanism)
    {
        using var cluster = KafkaCluster.Open("Cloud", SaslSsl(mechanism), []);
        var config = cluster.ProducerConfig("test").ToDictionary(kv => kv.Key, kv => kv.Value);

        Assert.Equal("sasl_ssl", config["security.protocol"]);
        Assert.Equal(mechanism, config["sasl.mechanism"]);
        Assert.Equal("iott-edge", config["sasl.username"]);
        Assert.Equal("sasl-pw-from-file", config["sasl.password"]); // from the file, without its line end
        Assert.Equal(_certs.CaCertificate, config["ssl.ca.location"]);
        Assert.Equal(_certs.ClientCertificate, config["ssl.certificate.location"]);
        Assert.Equal(_encryptedKey, config["ssl.key.location"]);
        Assert.Equal(KeyPassword, config["ssl.key.password"]);
        Assert.Equal("https", config["ssl.endpoint.identification.algorithm"]);
        Assert.DoesNotContain("sasl-pw-from-file", cluster.ToString());

        using var producer = new ProducerBuilder<Null, string>(cluster.ProducerConfig("test")).SetLogHandler((_, _) => { }).Build();
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(cluster.ConsumerConfig("g", "test")).SetLogHandler((_, _) => { }).Build();
        Assert.Contains("test", producer.Name);
    }

    [Fact]
    public void Sasl_plaintext_on_loopback_is_passed_as_it_is()
    {
        using var cluster = KafkaCluster.Open("Edge", new KafkaClusterOptions
        {
            BootstrapServers = "127.0.0.1:9092", SecurityProtocol = "SaslPlaintext", SaslMechanism = "PLAIN",
            SaslUsername = "edge", SaslPassword = "inline-pw",
        }, []);
        var config = cluster.ConsumerConfig("g", "c").ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(("sasl_plaintext", "PLAIN", "edge", "inline-pw"), (config["security.protocol"], config["sasl.mechanism"], config["sasl.username"], config["sasl.password"]));
        Assert.False(config.ContainsKey("ssl.ca.location"));
    }

    [Fact]
    public void A_wrong_key_password_is_refused_by_librdkafka_without_the_password_in_the_error()
    {
        const string wrong = "wrong-key-pw-55e1";
        using var cluster = KafkaCluster.Open("Cloud", SaslSsl("SCRAM-SHA-512", wrong), []);
        var ex = Assert.ThrowsAny<InvalidOperationException>(() =>
            new ProducerBuilder<Null, string>(cluster.ProducerConfig("test")).SetLogHandler((_, _) => { }).Build().Dispose());
        Assert.Contains("ssl.key", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(wrong, ex.ToString());
    }

    private static class OpenSsl
    {
        public static async Task RunAsync(params string[] args)
        {
            var info = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            var err = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0) throw new InvalidOperationException($"openssl {args[0]} exited with {p.ExitCode}: {await err}");
        }
    }
}
