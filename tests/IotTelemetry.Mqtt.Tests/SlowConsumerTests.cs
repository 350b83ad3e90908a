using System.Diagnostics;
using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Mqtt.Tests;

public sealed class SlowConsumerTests : IAsyncLifetime
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(1);
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Slow_consumer_does_not_get_its_healthy_connection_dropped()
    {
        const int count = 10;
        var options = TestClients.Options(_broker, MqttProtocolVersion.V500, "slow-consumer");
        options.KeepAlive = KeepAlive;
        options.ReceiveQueueCapacity = 1;
        var disconnects = 0;
        await using var client = new MqttClient(options);
        client.Disconnected += (_, _) => Interlocked.Increment(ref disconnects);
        await client.ConnectAsync(CancellationToken.None);
        await client.SubscribeAsync("slow", MqttQualityOfService.AtLeastOnce, CancellationToken.None);
        await using (var publisher = await TestClients.ConnectAsync(TestClients.Options(_broker, MqttProtocolVersion.V500)))
            for (var i = 0; i < count; i++)
                await publisher.PublishAsync("slow", BitConverter.GetBytes(i), MqttQualityOfService.AtLeastOnce, false, CancellationToken.None);

        // The application takes nothing for longer than the broker tolerates silence: the socket is not read meanwhile.
        var stalled = Stopwatch.StartNew();
        await Wait.UntilAsync(() => stalled.Elapsed > KeepAliveTests.BrokerDropsSilentClientWithin + KeepAlive, "a long stall of the consumer",
            TimeSpan.FromSeconds(20));
        Assert.InRange(client.MessagesReceived, 1, count - 1);

        for (var i = 0; i < count; i++)
        {
            var message = await TestClients.NextAsync(client);
            Assert.Equal(i, BitConverter.ToInt32(message.Payload.Span));
            Assert.True(message.Acknowledge());
        }
        Assert.True(client.IsConnected);
        Assert.Equal(0, Volatile.Read(ref disconnects));
        Assert.Equal(0, client.Reconnects);
        Assert.DoesNotContain("exceeded timeout", _broker.Output);
    }
}
