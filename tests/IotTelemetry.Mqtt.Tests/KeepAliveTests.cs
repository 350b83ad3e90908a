using System.Diagnostics;
using System.Net.Sockets;
using IotTelemetry.Mqtt.Internal;
using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Mqtt.Tests;

public sealed class KeepAliveTests : IAsyncLifetime
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(1);

    /// <summary>
    /// mosquitto 2.0.11 checks keep-alives only every few seconds: a silent client with a 1 s keep-alive is
    /// dropped after about 1.5-6 s (the control test pins this). Tests that claim pings kept a connection up
    /// stay idle longer than that.
    /// </summary>
    internal static readonly TimeSpan BrokerDropsSilentClientWithin = TimeSpan.FromSeconds(7);
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Mosquitto_drops_a_client_that_stays_silent_past_its_keep_alive()
    {
        // The control for the tests below: without PINGREQ the broker does cut an idle connection.
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_broker.Host, _broker.Port);
        await socket.SendAsync(PacketEncoder.Connect(new MqttClientOptions { ClientId = "silent", KeepAlive = KeepAlive, ProtocolVersion = MqttProtocolVersion.V311 }));
        var buffer = new byte[16];
        var connack = await socket.ReceiveAsync(buffer);
        Assert.Equal(4, connack);

        var elapsed = Stopwatch.StartNew();
        var eof = await Wait.ForAsync(socket.ReceiveAsync(buffer), "mosquitto closing the silent connection", TimeSpan.FromSeconds(10));

        Assert.Equal(0, eof);
        Assert.InRange(elapsed.Elapsed, KeepAlive, BrokerDropsSilentClientWithin);
        await Wait.UntilAsync(() => _broker.Output.Contains("silent has exceeded timeout", StringComparison.Ordinal), "mosquitto logging the timeout");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Idle_connection_stays_up_past_the_point_where_the_broker_drops_silent_clients(MqttProtocolVersion version)
    {
        var options = TestClients.Options(_broker, version, "idle-" + version);
        options.KeepAlive = KeepAlive;
        var disconnects = 0;
        await using var client = new MqttClient(options);
        client.Disconnected += (_, _) => Interlocked.Increment(ref disconnects);
        await client.ConnectAsync(CancellationToken.None);
        await client.SubscribeAsync("idle", MqttQualityOfService.AtLeastOnce, CancellationToken.None);

        var idle = Stopwatch.StartNew();
        await Wait.UntilAsync(() => idle.Elapsed > BrokerDropsSilentClientWithin + KeepAlive, "the application staying silent past the broker's drop time",
            TimeSpan.FromSeconds(20));

        Assert.True(client.IsConnected);
        Assert.Equal(0, Volatile.Read(ref disconnects));
        Assert.DoesNotContain("exceeded timeout", _broker.Output);
        await MosquittoClients.PublishAsync(_broker, "idle", "still here");
        Assert.Equal("still here", TestClients.Text(await TestClients.NextAsync(client)));
        Assert.Equal(0, client.Reconnects);
    }
}
