using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Mqtt.Tests;

public sealed class BrokerRestartTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Client_reconnects_and_resubscribes_by_itself_when_the_restarted_broker_lost_its_session(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = false });
        var connects = new List<MqttConnectedEventArgs>();
        var disconnects = new List<MqttDisconnectedEventArgs>();
        await using var client = new MqttClient(TestClients.Options(broker, version));
        client.Connected += (_, e) => { lock (connects) connects.Add(e); };
        client.Disconnected += (_, e) => { lock (disconnects) disconnects.Add(e); };
        await client.ConnectAsync(CancellationToken.None);
        await client.SubscribeAsync("line/+/state", MqttQualityOfService.AtLeastOnce, CancellationToken.None);
        await MosquittoClients.PublishAsync(broker, "line/1/state", "before");
        Assert.Equal("before", TestClients.Text(await TestClients.NextAsync(client)));

        await broker.StopAsync(graceful: false);
        await Wait.UntilAsync(() => !client.IsConnected, "the client noticing the broker is gone");
        await broker.StartAsync();
        await Wait.UntilAsync(() => client.IsConnected && client.Reconnects == 1, "the client reconnecting");

        // The subscription is re-sent in the background after CONNACK; publish until it is in place.
        MqttReceivedMessage? received = null;
        await Wait.UntilAsync(async () =>
        {
            await MosquittoClients.PublishAsync(broker, "line/1/state", "after");
            return client.Messages.TryRead(out received);
        }, "a message published after the restart");

        Assert.Equal("after", TestClients.Text(received!));
        lock (connects)
        {
            Assert.Equal(2, connects.Count);
            Assert.True(connects[1].IsReconnect);
            Assert.False(connects[1].SessionPresent);
        }
        lock (disconnects) Assert.Single(disconnects);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Qos1_publishes_in_flight_across_a_broker_restart_all_reach_a_persistent_subscriber(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true });
        await using var subscriber = await TestClients.ConnectAsync(TestClients.Persistent(broker, version, "sub-" + Guid.NewGuid().ToString("N")[..8]));
        await subscriber.SubscribeAsync("flow", MqttQualityOfService.AtLeastOnce, CancellationToken.None);
        var options = TestClients.Options(broker, version);
        options.MaxInFlightPublishes = 20;
        await using var publisher = await TestClients.ConnectAsync(options);

        // Publish in batches of 40 (more than the window) until told to stop; every call must succeed.
        using var stop = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            var next = 0;
            while (!stop.IsCancellationRequested)
            {
                var batch = new Task<MqttPublishResult>[40];
                for (var i = 0; i < batch.Length; i++)
                    batch[i] = publisher.PublishAsync("flow", BitConverter.GetBytes(next++), MqttQualityOfService.AtLeastOnce, false, CancellationToken.None).AsTask();
                foreach (var result in await Task.WhenAll(batch)) Assert.True(result.IsSuccess);
            }
            return next;
        });

        await Wait.UntilAsync(() => publisher.MessagesPublished >= 200, "the first 200 PUBACKs");
        await broker.StopAsync(graceful: true);
        await Wait.UntilAsync(() => !publisher.IsConnected, "the publisher noticing the broker is gone");
        Assert.True(publisher.PublishesInFlight > 0, "publishes are waiting for acknowledgement while the broker is down");
        await broker.StartAsync();
        await Wait.UntilAsync(() => publisher.Reconnects >= 1 && subscriber.Reconnects >= 1, "both clients reconnecting");
        var afterRestart = publisher.MessagesPublished;
        await Wait.UntilAsync(() => publisher.MessagesPublished >= afterRestart + 200, "200 more PUBACKs after the restart");
        stop.Cancel();
        var sent = await Wait.ForAsync(producer, "the producer finishing its last batch");

        var seen = new HashSet<int>();
        while (seen.Count < sent)
        {
            var message = await TestClients.NextAsync(subscriber, $"message {seen.Count + 1} of {sent}");
            seen.Add(BitConverter.ToInt32(message.Payload.Span));
            message.Acknowledge();
        }
        Assert.Equal(Enumerable.Range(0, sent), seen.Order());
        Assert.Equal(0, publisher.PublishesInFlight);
    }

    [Theory]
    [InlineData(MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    public async Task Publish_made_while_the_broker_is_down_is_sent_once_it_is_back(MqttQualityOfService qos)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker, MqttProtocolVersion.V500));
        await broker.StopAsync(graceful: false);
        await Wait.UntilAsync(() => !publisher.IsConnected, "the publisher noticing the broker is gone");

        var publish = publisher.PublishAsync("late/config", TestClients.Bytes("v2"), qos, retain: true, CancellationToken.None).AsTask();
        Assert.False(publish.IsCompleted);
        await broker.StartAsync();
        var result = await Wait.ForAsync(publish, "the publish completing after the reconnect");

        Assert.True(result.IsSuccess);
        await using var reader = await TestClients.ConnectAsync(TestClients.Options(broker, MqttProtocolVersion.V311));
        await reader.SubscribeAsync("late/#", MqttQualityOfService.AtLeastOnce, CancellationToken.None);
        var retained = await TestClients.NextAsync(reader);
        Assert.Equal("v2", TestClients.Text(retained));
        Assert.True(retained.Retain);
    }

    [Fact]
    public async Task Waiting_publishes_can_be_cancelled_and_are_failed_on_dispose()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var publisher = await TestClients.ConnectAsync(TestClients.Options(broker, MqttProtocolVersion.V500));
        await broker.StopAsync(graceful: false);
        await Wait.UntilAsync(() => !publisher.IsConnected, "the publisher noticing the broker is gone");

        using var cancel = new CancellationTokenSource();
        var cancelled = publisher.PublishAsync("t", TestClients.Bytes("a"), MqttQualityOfService.AtMostOnce, false, cancel.Token).AsTask();
        var pending = publisher.PublishAsync("t", TestClients.Bytes("b"), MqttQualityOfService.AtLeastOnce, false, CancellationToken.None).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.ForAsync(cancelled, "the cancelled publish"));
        Assert.False(pending.IsCompleted);

        await Wait.ForAsync(publisher.DisposeAsync().AsTask(), "dispose");

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Wait.ForAsync(pending, "the pending publish failing"));
        Assert.True(publisher.Messages.Completion.IsCompleted);
    }
}
