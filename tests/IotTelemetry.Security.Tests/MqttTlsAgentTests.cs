using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Security.Tests;

/// <summary>
/// The edge agent's process ingesting from mosquitto over TLS: the broker's certificate verified against a CA the
/// test generated, a client certificate, and a user name with a password read from a file.
/// </summary>
public sealed class MqttTlsAgentTests : IAsyncLifetime
{
    private const string Password = "mqtt-edge-pw-4d2b";
    private readonly MockCluster _edge = new();
    private TestCertificates _certs = null!;
    private MosquittoBroker _broker = null!;
    private string _passwordFile = null!;

    public async Task InitializeAsync()
    {
        _edge.CreateTopic("telemetry", 3);
        _edge.CreateTopic("telemetry.deadletter", 1);
        _certs = await TestCertificates.CreateAsync(RepoPaths.NewTempDirectory("mqtt-agent-tls"));
        _broker = await MosquittoBroker.StartAsync(new MosquittoOptions
        {
            Tls = _certs,
            RequireClientCertificate = true,
            Users = new Dictionary<string, string> { ["edge"] = Password, ["plant"] = "plant-pw" },
        });
        _passwordFile = Path.Combine(_certs.Directory, "mqtt-password");
        await File.WriteAllTextAsync(_passwordFile, Password + "\n");
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _edge.Dispose();
    }

    private (ExternalProcess Agent, HostMetrics Metrics) Start(string caFile, string? serverName = null)
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var agent = Programs.Start(Programs.EdgeDll, new Dictionary<string, string>
        {
            ["Edge:Site"] = "plant-t",
            ["Edge:Urls"] = url,
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = _broker.TlsPort.ToString(),
            ["Mqtt:ClientId"] = "edge-tls",
            ["Mqtt:Username"] = "edge",
            ["Mqtt:PasswordFile"] = _passwordFile,
            ["Mqtt:Tls:CaFile"] = caFile,
            ["Mqtt:Tls:ClientCertificateFile"] = _certs.ClientCertificate,
            ["Mqtt:Tls:ClientKeyFile"] = _certs.ClientKey,
            ["Kafka:Edge:BootstrapServers"] = _edge.BootstrapServers,
            ["Mirror:Enabled"] = "false",
            ["Mqtt:Tls:ServerName"] = serverName ?? "",
        });
        return (agent, new HostMetrics(url));
    }

    [Fact]
    public async Task The_agent_ingests_over_tls_with_a_client_certificate_and_a_password_from_a_file()
    {
        var (agent, metrics) = Start(_certs.CaCertificate);
        await using var _ = agent;
        await metrics.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(60));
        using var telemetry = new KafkaProbe(_edge.BootstrapServers, "telemetry", 3);

        await MosquittoClients.PublishAsync(_broker, "plants/plant-t/pump-01/vibration", """{"value":2.75,"unit":"mm/s"}""",
            username: "plant", password: "plant-pw");

        await telemetry.WaitForCountAsync(1);
        var reading = ReadingCodec.Decode(Assert.Single(telemetry.Records).Message.Value);
        Assert.Equal(("pump-01", "vibration", 2.75), (reading.Asset, reading.Sensor, reading.Value));
        Assert.DoesNotContain(Password, agent.Output);
    }

    [Fact]
    public async Task The_agent_does_not_accept_a_broker_certificate_its_ca_did_not_sign()
    {
        var otherCa = await TestCertificates.CreateAsync(RepoPaths.NewTempDirectory("other-ca"), "Some Other CA");
        var (agent, metrics) = Start(otherCa.CaCertificate);
        await using var _ = agent;
        await Wait.UntilAsync(() => agent.HasExited || agent.Output.Contains("certificate", StringComparison.OrdinalIgnoreCase),
            "the agent reporting the untrusted certificate", TimeSpan.FromSeconds(60));
        if (agent.HasExited) await agent.WaitForExitAsync(); // and its output is read to the end
        Assert.Contains("the broker certificate is not signed by a CA in Mqtt:Tls:CaFile", agent.Output);
        Assert.Equal(0, agent.HasExited ? 0 : await metrics.GetAsync("iott_edge_mqtt_connected"));
        Assert.DoesNotContain(Password, agent.Output);
    }

    [Fact]
    public async Task The_agent_checks_the_broker_certificate_against_the_configured_server_name()
    {
        // The broker's certificate names localhost and 127.0.0.1: the name given is what is checked, not the address dialled.
        var (agent, metrics) = Start(_certs.CaCertificate, serverName: "localhost");
        await using (agent) await metrics.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(60));

        var (wrongName, _) = Start(_certs.CaCertificate, serverName: "broker.plant.example");
        await using var __ = wrongName;
        Assert.Equal(3, await wrongName.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"TLS handshake with MQTT broker 127.0.0.1:{_broker.TlsPort} failed: the broker certificate does not match the expected server name", wrongName.Output);
    }
}
