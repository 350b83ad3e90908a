using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Mqtt.Tests;

public sealed class SessionTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true });

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.AtLeastOnce, false)]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.AtLeastOnce, true)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.AtLeastOnce, false)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.AtLeastOnce, true)]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.ExactlyOnce, true)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.ExactlyOnce, false)]
    public async Task Message_not_acknowledged_before_the_client_goes_away_is_redelivered_to_its_next_connection(
        MqttProtocolVersion version, MqttQualityOfService qos, bool abortSocket)
    {
        var clientId = "redeliver-" + Guid.NewGuid().ToString("N")[..8];
        MqttReceivedMessage unacknowledged;
        var first = await TestClients.ConnectAsync(TestClients.Persistent(_broker, version, clientId));
        try
        {
            await first.SubscribeAsync("readings/#", qos, CancellationToken.None);
            await MosquittoClients.PublishAsync(_broker, "readings/p1", "reading-1", qos: (int)qos);
            unacknowledged = await TestClients.NextAsync(first);
            Assert.Equal("reading-1", TestClients.Text(unacknowledged));
            Assert.False(unacknowledged.Dup);
        }
        finally
        {
            if (abortSocket) await first.AbortAsync();
            else await first.DisposeAsync();
        }
        Assert.False(unacknowledged.Acknowledge(), "an acknowledgement for a closed connection cannot reach the broker");

        var sessions = new List<bool>();
        await using (var second = new MqttClient(TestClients.Persistent(_broker, version, clientId)))
        {
            second.Connected += (_, e) => sessions.Add(e.SessionPresent);
            await second.ConnectAsync(CancellationToken.None);
            var redelivered = await TestClients.NextAsync(second, "the redelivered message");

            Assert.Equal([true], sessions);
            Assert.Equal("readings/p1", redelivered.Topic);
            Assert.Equal("reading-1", TestClients.Text(redelivered));
            Assert.True(redelivered.Dup);
            Assert.True(redelivered.Acknowledge());
        }

        // Acknowledged now: the next connection gets the next message, not that one again.
        await using var third = await TestClients.ConnectAsync(TestClients.Persistent(_broker, version, clientId));
        await MosquittoClients.PublishAsync(_broker, "readings/p1", "reading-2", qos: (int)qos);
        var next = await TestClients.NextAsync(third);
        Assert.Equal("reading-2", TestClients.Text(next));
        next.Acknowledge();
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Messages_published_while_a_persistent_client_is_offline_arrive_in_order_when_it_reconnects(MqttProtocolVersion version)
    {
        var clientId = "offline-" + Guid.NewGuid().ToString("N")[..8];
        await using (var client = await TestClients.ConnectAsync(TestClients.Persistent(_broker, version, clientId)))
            await client.SubscribeAsync("offline/#", MqttQualityOfService.AtLeastOnce, CancellationToken.None);

        await using (var publisher = await TestClients.ConnectAsync(TestClients.Options(_broker, version)))
            for (var i = 0; i < 30; i++)
                await publisher.PublishAsync($"offline/{i}", TestClients.Bytes($"m{i}"), MqttQualityOfService.AtLeastOnce, false, CancellationToken.None);

        await using var back = await TestClients.ConnectAsync(TestClients.Persistent(_broker, version, clientId));
        for (var i = 0; i < 30; i++)
        {
            var message = await TestClients.NextAsync(back, $"offline message {i}");
            Assert.Equal($"offline/{i}", message.Topic);
            Assert.Equal($"m{i}", TestClients.Text(message));
            Assert.True(message.Acknowledge());
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task After_a_network_fault_the_client_resumes_its_session_and_gets_the_unacknowledged_message_again(MqttProtocolVersion version)
    {
        var connects = new List<MqttConnectedEventArgs>();
        await using var client = new MqttClient(TestClients.Persistent(_broker, version, "fault-" + Guid.NewGuid().ToString("N")[..8]));
        client.Connected += (_, e) => { lock (connects) connects.Add(e); };
        await client.ConnectAsync(CancellationToken.None);
        await client.SubscribeAsync("fault/#", MqttQualityOfService.AtLeastOnce, CancellationToken.None);
        await MosquittoClients.PublishAsync(_broker, "fault/1", "in-flight");
        var before = await TestClients.NextAsync(client);

        client.BreakConnection("simulated network fault");
        await Wait.UntilAsync(() => client.IsConnected && client.Reconnects == 1, "the client reconnecting");
        var again = await TestClients.NextAsync(client, "the redelivered message");

        Assert.False(before.Acknowledge());
        Assert.Equal("in-flight", TestClients.Text(again));
        Assert.True(again.Dup);
        Assert.True(again.Acknowledge());
        lock (connects) Assert.Equal([false, true], connects.Select(c => c.SessionPresent));
        await MosquittoClients.PublishAsync(_broker, "fault/2", "after");
        Assert.Equal("after", TestClients.Text(await TestClients.NextAsync(client)));
    }

    [Fact]
    public async Task Clean_session_client_gets_nothing_that_was_published_while_it_was_away()
    {
        var clientId = "clean-" + Guid.NewGuid().ToString("N")[..8];
        await using (var client = await TestClients.ConnectAsync(TestClients.Options(_broker, MqttProtocolVersion.V311, clientId)))
            await client.SubscribeAsync("clean/#", MqttQualityOfService.AtLeastOnce, CancellationToken.None);
        await MosquittoClients.PublishAsync(_broker, "clean/x", "while-away");

        await using var back = await TestClients.ConnectAsync(TestClients.Options(_broker, MqttProtocolVersion.V311, clientId));
        await back.SubscribeAsync("clean/#", MqttQualityOfService.AtLeastOnce, CancellationToken.None);
        await MosquittoClients.PublishAsync(_broker, "clean/x", "after");
        Assert.Equal("after", TestClients.Text(await TestClients.NextAsync(back)));
    }
}
