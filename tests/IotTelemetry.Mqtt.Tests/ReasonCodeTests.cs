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
    public async Task Mqtt5_session_taken_over_by_another_connection_is_reported_with_its_reason_code()
    {
        var lost = new TaskCompletionSource<MqttDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new MqttClient(TestClients.Options(_broker, MqttProtocolVersion.V500, "same-id"));
        try
        {
            first.Disconnected += (_, e) => lost.TrySetResult(e);
            await first.ConnectAsync(CancellationToken.None);
            await using var second = await TestClients.ConnectAsync(TestClients.Options(_broker, MqttProtocolVersion.V500, "same-id"));

            var e = await Wait.ForAsync(lost.Task, "the first connection being taken over");

            Assert.Equal((byte)0x8E, e.ReasonCode);
            Assert.Equal("the broker sent DISCONNECT: session taken over (0x8E)", e.Reason);
        }
        finally
        {
            // Both would otherwise keep taking the id from each other.
            await first.DisposeAsync();
        }
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
