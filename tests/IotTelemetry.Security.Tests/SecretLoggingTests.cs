using System.Diagnostics;
using IotTelemetry.Common.Kafka;
using IotTelemetry.TestKit;

namespace IotTelemetry.Security.Tests;

/// <summary>
/// The hosts are given distinctive secrets (through environment variables, files and arguments), then made to
/// fail: a wrong MQTT password, Kafka connections that cannot succeed, configurations that cannot start. No line
/// of their output, at Debug level, may contain a secret.
/// </summary>
public sealed class SecretLoggingTests : IAsyncLifetime
{
    private const string MqttPassword = "S3CRET-mqtt-91b7e2";
    private const string EdgeSaslPassword = "S3CRET-edge-sasl-4c0e55";
    private const string CloudSaslPassword = "S3CRET-cloud-sasl-77aa13";
    private const string KeyPassword = "S3CRET-keypw-d81f09";
    private static readonly string[] AllSecrets = [MqttPassword, EdgeSaslPassword, CloudSaslPassword, KeyPassword];
    private readonly MockCluster _edge = new();
    private TestCertificates _certs = null!;
    private string _encryptedKey = null!;
    private string _cloudPasswordFile = null!;

    public async Task InitializeAsync()
    {
        _edge.CreateTopic("telemetry", 3);
        _edge.CreateTopic("telemetry.deadletter", 1);
        _certs = await TestCertificates.CreateAsync(RepoPaths.NewTempDirectory("secret-logging"));
        _encryptedKey = Path.Combine(_certs.Directory, "client-encrypted.key");
        var info = new ProcessStartInfo("openssl") { RedirectStandardError = true };
        foreach (var a in new[] { "pkey", "-in", _certs.ClientKey, "-aes256", "-passout", "pass:" + KeyPassword, "-out", _encryptedKey }) info.ArgumentList.Add(a);
        using (var p = Process.Start(info)!) await p.WaitForExitAsync();
        Assert.True(File.Exists(_encryptedKey), "openssl did not write the encrypted key");
        _cloudPasswordFile = Path.Combine(_certs.Directory, "cloud-sasl");
        await File.WriteAllTextAsync(_cloudPasswordFile, CloudSaslPassword + "\n");
    }

    public Task DisposeAsync()
    {
        _edge.Dispose();
        return Task.CompletedTask;
    }

    private static readonly Dictionary<string, string?> Debug = new() { ["Logging__LogLevel__Default"] = "Debug", ["Logging__LogLevel__Microsoft"] = "Debug" };

    private static void AssertNoSecret(ExternalProcess process)
    {
        Assert.NotEmpty(process.Lines);
        foreach (var line in process.Lines)
            foreach (var secret in AllSecrets)
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"a log line shows a secret: {line}");
    }

    /// <summary>The cloud cluster as the edge agent would reach it over SASL_SSL (nothing listens there).</summary>
    private Dictionary<string, string> SecureCloud(string prefix) => new()
    {
        [prefix + "BootstrapServers"] = $"127.0.0.1:{FreePort.Next()}",
        [prefix + "SecurityProtocol"] = "SaslSsl",
        [prefix + "SaslMechanism"] = "SCRAM-SHA-512",
        [prefix + "SaslUsername"] = "iott",
        [prefix + "SaslPasswordFile"] = _cloudPasswordFile,
        [prefix + "SslCaLocation"] = _certs.CaCertificate,
        [prefix + "SslCertificateLocation"] = _certs.ClientCertificate,
        [prefix + "SslKeyLocation"] = _encryptedKey,
    };

    [Fact]
    public async Task A_wrong_mqtt_password_from_the_environment_is_not_logged()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Users = new Dictionary<string, string> { ["edge"] = "the-right-one" } });
        await using var agent = Programs.Start(Programs.EdgeDll, new Dictionary<string, string>
        {
            ["Edge:Site"] = "plant-t",
            ["Edge:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Mqtt:Port"] = broker.Port.ToString(),
            ["Mqtt:Username"] = "edge",
            ["Kafka:Edge:BootstrapServers"] = _edge.BootstrapServers,
            ["Mirror:Enabled"] = "false",
        }, new Dictionary<string, string?>(Debug) { ["Mqtt__Password"] = MqttPassword });
        await Wait.UntilAsync(() => agent.Output.Contains("refused the connection", StringComparison.Ordinal) || agent.HasExited,
            "the agent reporting the refused MQTT connection", TimeSpan.FromSeconds(60));
        if (agent.HasExited) await agent.WaitForExitAsync(); // and its output is read to the end
        Assert.Contains("refused the connection", agent.Output);
        AssertNoSecret(agent);
    }

    [Fact]
    public async Task Kafka_sasl_and_key_passwords_are_not_logged_when_the_connections_fail()
    {
        var settings = new Dictionary<string, string>
        {
            ["Edge:Site"] = "plant-t",
            ["Edge:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Mqtt:Enabled"] = "false",
            // the mock cluster does not speak SASL: every edge connection fails its handshake
            ["Kafka:Edge:BootstrapServers"] = _edge.BootstrapServers,
            ["Kafka:Edge:SecurityProtocol"] = "SaslPlaintext",
            ["Kafka:Edge:SaslMechanism"] = "SCRAM-SHA-256",
            ["Kafka:Edge:SaslUsername"] = "edge",
            ["Vendors:0:Name"] = "pumpco",
            ["Vendors:0:Assets:0"] = "*/pump-*/*",
        };
        foreach (var (k, v) in SecureCloud("Kafka:Cloud:")) settings[k] = v;
        await using var agent = Programs.Start(Programs.EdgeDll, settings, new Dictionary<string, string?>(Debug)
        {
            ["Kafka__Edge__SaslPassword"] = EdgeSaslPassword,
            ["Kafka__Cloud__SslKeyPassword"] = KeyPassword,
        });
        await Wait.UntilAsync(() =>
            agent.HasExited ||
            (agent.Lines.Any(l => l.Contains("Kafka mirror producer", StringComparison.Ordinal)) &&
             agent.Lines.Any(l => l.Contains("Kafka mirror consumer", StringComparison.Ordinal))),
            "librdkafka reporting the failing edge and cloud connections", TimeSpan.FromSeconds(60));
        Assert.False(agent.HasExited, agent.Output);
        AssertNoSecret(agent);
    }

    [Fact]
    public async Task A_configuration_the_edge_agent_refuses_does_not_show_its_secrets()
    {
        var settings = new Dictionary<string, string>
        {
            ["Edge:Site"] = "plant-t",
            ["Mqtt:Port"] = "70000",
            ["Mqtt:Password"] = MqttPassword,
            ["Kafka:Edge:BootstrapServers"] = _edge.BootstrapServers,
            ["Kafka:Edge:SecurityProtocol"] = "SaslPlaintext",
            ["Kafka:Edge:SaslMechanism"] = "BOGUS",
            ["Kafka:Edge:SaslPassword"] = EdgeSaslPassword,
            ["Kafka:Cloud:SslKeyPassword"] = KeyPassword,
        };
        foreach (var (k, v) in SecureCloud("Kafka:Cloud:")) settings[k] = v;
        settings["Kafka:Cloud:SaslUsername"] = "";
        await using var agent = Programs.Start(Programs.EdgeDll, settings, Debug);
        Assert.Equal(2, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Kafka:Edge:SaslMechanism", agent.Output);
        Assert.Contains("Kafka:Cloud:SaslUsername", agent.Output);
        AssertNoSecret(agent);
    }

    [Fact]
    public async Task The_cloud_host_does_not_log_its_kafka_secrets_when_it_cannot_connect_or_start()
    {
        var settings = new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = RepoPaths.NewTempDirectory("secret-cloud"),
            ["Cloud:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
        };
        foreach (var (k, v) in SecureCloud("Kafka:Cloud:")) settings[k] = v;
        var environment = new Dictionary<string, string?>(Debug) { ["Kafka__Cloud__SslKeyPassword"] = KeyPassword };
        await using (var cloud = Programs.Start(Programs.CloudDll, settings, environment))
        {
            await Wait.UntilAsync(() => cloud.HasExited || cloud.Lines.Any(l => l.Contains("Connection refused", StringComparison.OrdinalIgnoreCase)),
                "the cloud host reporting the refused Kafka connection", TimeSpan.FromSeconds(60));
            Assert.False(cloud.HasExited, cloud.Output);
            AssertNoSecret(cloud);
        }

        settings["Kafka:Cloud:SaslMechanism"] = "BOGUS";
        settings["Kafka:Cloud:SaslPassword"] = CloudSaslPassword;
        await using var refused = Programs.Start(Programs.CloudDll, settings, environment);
        Assert.Equal(2, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Kafka:Cloud:SaslMechanism", refused.Output);
        AssertNoSecret(refused);
    }
}
