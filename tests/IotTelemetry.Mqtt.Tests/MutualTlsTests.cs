using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Mqtt.Tests;

public sealed class MutualTlsTests : IAsyncLifetime
{
    private string _dir = null!;
    private TestCertificates _certs = null!;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _dir = RepoPaths.NewTempDirectory("mqtt-mtls");
        _certs = await TestCertificates.CreateAsync(_dir);
        _broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = _certs, RequireClientCertificate = true });
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private MqttClientOptions TlsOptions(bool withClientCertificate)
    {
        var options = TestClients.Options(_broker, MqttProtocolVersion.V500);
        options.Port = _broker.TlsPort;
        options.Tls = new MqttTlsOptions { CaFile = _certs.CaCertificate };
        if (withClientCertificate)
        {
            options.Tls.ClientCertificateFile = _certs.ClientCertificate;
            options.Tls.ClientKeyFile = _certs.ClientKey;
        }
        return options;
    }

    [Fact]
    public async Task Client_certificate_from_pem_files_is_accepted_by_a_broker_that_requires_one()
    {
        await using var client = await TestClients.ConnectAsync(TlsOptions(withClientCertificate: true));
        await client.SubscribeAsync("mtls", MqttQualityOfService.AtLeastOnce, CancellationToken.None);
        await client.PublishAsync("mtls", TestClients.Bytes("hi"), MqttQualityOfService.AtLeastOnce, false, CancellationToken.None);

        Assert.Equal("hi", TestClients.Text(await TestClients.NextAsync(client)));
    }

    [Fact]
    public async Task Client_without_a_certificate_is_turned_away()
    {
        await using var client = new MqttClient(TlsOptions(withClientCertificate: false));

        await Wait.ForAsync(Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(CancellationToken.None)), "the refusal");

        Assert.False(client.IsConnected);
    }
}
