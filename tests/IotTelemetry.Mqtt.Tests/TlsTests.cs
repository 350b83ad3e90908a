using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Mqtt.Tests;

public sealed class TlsTests : IAsyncLifetime
{
    private string _dir = null!;
    private TestCertificates _certs = null!;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _dir = RepoPaths.NewTempDirectory("mqtt-tls");
        _certs = await TestCertificates.CreateAsync(Path.Combine(_dir, "ca"));
        _broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = _certs });
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private MqttClientOptions TlsOptions(MqttProtocolVersion version, string caFile)
    {
        var options = TestClients.Options(_broker, version);
        options.Port = _broker.TlsPort;
        options.Tls = new MqttTlsOptions { CaFile = caFile };
        return options;
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Messages_flow_over_tls_when_the_broker_certificate_is_signed_by_the_configured_ca(MqttProtocolVersion version)
    {
        await using var client = await TestClients.ConnectAsync(TlsOptions(version, _broker.CaFile!));
        await client.SubscribeAsync("secure/#", MqttQualityOfService.ExactlyOnce, CancellationToken.None);

        var result = await client.PublishAsync("secure/a", TestClients.Bytes("over tls"), MqttQualityOfService.ExactlyOnce, false, CancellationToken.None);
        var message = await TestClients.NextAsync(client);

        Assert.True(result.IsSuccess);
        Assert.Equal("over tls", TestClients.Text(message));
        Assert.True(message.Acknowledge());
    }

    [Fact]
    public async Task Broker_certificate_from_another_ca_is_refused_with_a_clear_reason()
    {
        var other = await TestCertificates.CreateAsync(Path.Combine(_dir, "other-ca"), "Some Other CA");
        await using var client = new MqttClient(TlsOptions(MqttProtocolVersion.V500, other.CaCertificate));

        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(CancellationToken.None));

        Assert.StartsWith($"TLS handshake with MQTT broker 127.0.0.1:{_broker.TlsPort} failed: the broker certificate is not signed by a CA in Mqtt:Tls:CaFile", ex.Message);
        Assert.False(ex.IsTransient);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Broker_certificate_for_another_name_is_refused()
    {
        var options = TlsOptions(MqttProtocolVersion.V311, _broker.CaFile!);
        options.Tls!.ServerName = "broker.plant.example";
        await using var client = new MqttClient(options);

        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(CancellationToken.None));

        Assert.Contains("does not match the expected server name", ex.Message);
    }

    [Fact]
    public async Task Plain_tcp_client_on_the_tls_port_fails_instead_of_hanging()
    {
        var options = TestClients.Options(_broker, MqttProtocolVersion.V500);
        options.Port = _broker.TlsPort;
        options.ConnectTimeout = TimeSpan.FromSeconds(5);
        await using var client = new MqttClient(options);

        var ex = await Wait.ForAsync(Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(CancellationToken.None)), "the failure");

        Assert.Contains($"127.0.0.1:{_broker.TlsPort}", ex.Message);
    }
}
