using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Mqtt.Tests;

public sealed class PacketSizeTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.AtLeastOnce)]
    public async Task Publish_over_the_configured_maximum_is_refused_before_anything_is_sent(MqttProtocolVersion version, MqttQualityOfService qos)
    {
        var options = TestClients.Options(_broker, version);
        options.MaximumPacketSize = 1024;
        await using var client = await TestClients.ConnectAsync(options);

        var ex = await Assert.ThrowsAsync<MqttPacketTooLargeException>(() =>
            client.PublishAsync("big", new byte[2000], qos, false, CancellationToken.None).AsTask());

        Assert.Matches(@"^MQTT packet of 20\d\d bytes exceeds the maximum packet size of 1024 bytes \(Mqtt:MaximumPacketSize\)$", ex.Message);
        Assert.True(client.IsConnected);
        var small = await client.PublishAsync("big", new byte[100], qos, false, CancellationToken.None);
        Assert.True(small.IsSuccess);
        Assert.Equal(1, client.MessagesPublished);
    }

    [Fact]
    public async Task Mqtt5_broker_maximum_packet_size_from_connack_is_honoured()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfig = { "max_packet_size 2000" } });
        await using var client = await TestClients.ConnectAsync(TestClients.Options(broker, MqttProtocolVersion.V500));

        var ex = await Assert.ThrowsAsync<MqttPacketTooLargeException>(() =>
            client.PublishAsync("big", new byte[3000], MqttQualityOfService.AtLeastOnce, false, CancellationToken.None).AsTask());

        Assert.Equal(2000, ex.Limit);
        Assert.Contains("the broker's Maximum Packet Size", ex.Message);
    }

    [Fact]
    public async Task Oversized_incoming_packet_drops_the_connection_with_a_clear_reason_and_the_client_recovers()
    {
        var options = TestClients.Options(_broker, MqttProtocolVersion.V311);
        options.MaximumPacketSize = 1024;
        var reasons = new List<string>();
        await using var client = new MqttClient(options);
        client.Disconnected += (_, e) => { lock (reasons) reasons.Add(e.Reason); };
        await client.ConnectAsync(CancellationToken.None);
        await client.SubscribeAsync("in/#", MqttQualityOfService.AtMostOnce, CancellationToken.None);

        await MosquittoClients.PublishAsync(_broker, "in/big", new byte[5000], qos: 0);
        await Wait.UntilAsync(() => { lock (reasons) return reasons.Count == 1; }, "the oversized packet breaking the connection");
        lock (reasons) Assert.Matches(@"^MQTT packet of 50\d\d bytes exceeds the maximum packet size of 1024 bytes \(Mqtt:MaximumPacketSize\)$", reasons[0]);

        MqttReceivedMessage? small = null;
        await Wait.UntilAsync(async () =>
        {
            await MosquittoClients.PublishAsync(_broker, "in/small", "ok", qos: 0);
            return client.Messages.TryRead(out small);
        }, "a small message after the reconnect and re-subscribe");
        Assert.Equal("in/small", small!.Topic);
        Assert.Equal(1, client.Reconnects);
    }

    [Fact]
    public async Task Mqtt5_broker_does_not_send_packets_over_the_size_the_client_announced()
    {
        var options = TestClients.Options(_broker, MqttProtocolVersion.V500);
        options.MaximumPacketSize = 1024;
        await using var client = await TestClients.ConnectAsync(options);
        await client.SubscribeAsync("in5/#", MqttQualityOfService.AtLeastOnce, CancellationToken.None);

        await MosquittoClients.PublishAsync(_broker, "in5/big", new byte[5000]);
        await MosquittoClients.PublishAsync(_broker, "in5/small", "ok");
        var first = await TestClients.NextAsync(client);

        Assert.Equal("in5/small", first.Topic);
        Assert.True(client.IsConnected);
        Assert.Equal(0, client.Reconnects);
    }
}
