using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Mqtt.Tests;

public sealed class ReasonCodeTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() =>
        _broker = await MosquittoBroker.StartAsync(new MosquittoOptions { AclRules = ["topic readwrite allowed/#"] });

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Mqtt5_publish_nobody_subscribed_to_succeeds_with_reason_no_matching_subscribers()
    {
        await using var client = await TestClients.ConnectAsync(TestClients.Options(_broker, MqttProtocolVersion.V500));

        var result = await client.PublishAsync("allowed/nobody", TestClients.Bytes("x"), MqttQualityOfService.AtLeastOnce, false, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(0x10, result.ReasonCode);
    }

    [Theory]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public async Task Mqtt5_publish_the_broker_denies_reports_not_authorized_and_keeps_the_connection(MqttQualityOfService qos)
    {
        await using var client = await TestClients.ConnectAsync(TestClients.Options(_broker, MqttProtocolVersion.V500));

        var denied = await client.PublishAsync("forbidden/x", TestClients.Bytes("x"), qos, false, CancellationToken.None);

        Assert.False(denied.IsSuccess);
        Assert.Equal(0x87, denied.ReasonCode);
        Assert.Equal(0, client.PublishesInFlight);
        Assert.Equal(0, client.MessagesPublished);
        var allowed = await client.PublishAsync("allowed/x", TestClients.Bytes("x"), qos, false, CancellationToken.None);
        Assert.True(allowed.IsSuccess);
    }

    [Fact]
    public async Task Mqtt5_disconnect_sent_by_the_broker_is_reported_with_its_reason_code()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfig = { "retain_available false" } });
        var lost = new TaskCompletionSource<MqttDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = new MqttClient(TestClients.Options(broker, MqttProtocolVersion.V500));
        client.Disconnected += (_, e) => lost.TrySetResult(e);
        await client.ConnectAsync(CancellationToken.None);

        await client.PublishAsync("cfg", TestClients.Bytes("x"), MqttQualityOfService.AtMostOnce, retain: true, CancellationToken.None);
        var e = await Wait.ForAsync(lost.Task, "the broker disconnecting the client");

        Assert.Equal((byte)0x9A, e.ReasonCode);
        Assert.Equal("the broker sent DISCONNECT: retain not supported (0x9A)", e.Reason);
        await Wait.UntilAsync(() => client.IsConnected && client.Reconnects == 1, "the client reconnecting");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Granted_qos_below_the_requested_one_is_reported(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfig = { "max_qos 1" } });
        await using var client = await TestClients.ConnectAsync(TestClients.Options(broker, version));

        var granted = await client.SubscribeAsync("capped/#", MqttQualityOfService.ExactlyOnce, CancellationToken.None);

        Assert.Equal(new MqttSubscribeResult("capped/#", MqttQualityOfService.AtLeastOnce), granted);
    }

    [Fact]
    public async Task Unsubscribed_topics_are_no_longer_delivered()
    {
        await using var client = await TestClients.ConnectAsync(TestClients.Options(_broker, MqttProtocolVersion.V311));
        await client.SubscribeAsync("allowed/a/#", MqttQualityOfService.AtLeastOnce, CancellationToken.None);
        await client.SubscribeAsync("allowed/b", MqttQualityOfService.AtLeastOnce, CancellationToken.None);

        await client.UnsubscribeAsync("allowed/a/#", CancellationToken.None);
        await MosquittoClients.PublishAsync(_broker, "allowed/a/1", "gone");
        await MosquittoClients.PublishAsync(_broker, "allowed/b", "kept");

        Assert.Equal("kept", TestClients.Text(await TestClients.NextAsync(client)));
    }
}
