using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Mqtt.Tests;

public sealed class ConnectTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() =>
        _broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Users = new Dictionary<string, string> { ["edge"] = "s3cret-pw" } });

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Connects_with_good_credentials_and_reports_a_fresh_session(MqttProtocolVersion version)
    {
        var options = TestClients.Options(_broker, version);
        options.Username = "edge";
        options.Password = "s3cret-pw";
        var events = new List<MqttConnectedEventArgs>();
        await using var client = new MqttClient(options);
        client.Connected += (_, e) => events.Add(e);

        await client.ConnectAsync(CancellationToken.None);

        Assert.True(client.IsConnected);
        var connected = Assert.Single(events);
        Assert.False(connected.SessionPresent);
        Assert.False(connected.IsReconnect);
        Assert.Equal(0, client.Reconnects);
    }

    // mosquitto 2.0.11 answers a wrong password with "not authorized" (5 / 0x87), not 4 / 0x86.
    [Theory]
    [InlineData(MqttProtocolVersion.V311, "(CONNACK 5)")]
    [InlineData(MqttProtocolVersion.V500, "(CONNACK 0x87)")]
    public async Task Bad_password_fails_with_the_broker_refusal_and_no_secret(MqttProtocolVersion version, string code)
    {
        var options = TestClients.Options(_broker, version);
        options.Username = "edge";
        options.Password = "wrong-pw-123";
        await using var client = new MqttClient(options);

        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(CancellationToken.None));

        Assert.Equal($"MQTT broker 127.0.0.1:{_broker.Port} refused the connection: not authorized {code}", ex.Message);
        Assert.DoesNotContain("wrong-pw-123", ex.ToString());
        Assert.False(ex.IsTransient);
        Assert.False(client.IsConnected);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, "not authorized (CONNACK 5)")]
    [InlineData(MqttProtocolVersion.V500, "not authorized (CONNACK 0x87)")]
    public async Task Anonymous_client_is_refused_when_the_broker_needs_a_login(MqttProtocolVersion version, string expected)
    {
        await using var client = new MqttClient(TestClients.Options(_broker, version));
        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(CancellationToken.None));
        Assert.EndsWith(expected, ex.Message);
    }

    [Fact]
    public async Task Unreachable_broker_fails_with_the_endpoint_in_the_message()
    {
        var options = TestClients.Options(_broker, MqttProtocolVersion.V500);
        options.Port = FreePort.Next();
        await using var client = new MqttClient(options);

        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(CancellationToken.None));

        Assert.StartsWith($"Could not connect to MQTT broker 127.0.0.1:{options.Port}", ex.Message);
        Assert.True(ex.IsTransient);
    }
}
