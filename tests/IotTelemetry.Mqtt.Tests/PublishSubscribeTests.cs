using System.Globalization;
using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Mqtt.Tests;

public sealed class PublishSubscribeTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    public static TheoryData<MqttProtocolVersion, MqttQualityOfService> VersionsAndQos()
    {
        var data = new TheoryData<MqttProtocolVersion, MqttQualityOfService>();
        foreach (var v in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
            foreach (var q in new[] { MqttQualityOfService.AtMostOnce, MqttQualityOfService.AtLeastOnce, MqttQualityOfService.ExactlyOnce })
                data.Add(v, q);
        return data;
    }

    [Theory]
    [MemberData(nameof(VersionsAndQos))]
    public async Task Message_from_mosquitto_pub_is_received_with_its_topic_payload_and_qos(MqttProtocolVersion version, MqttQualityOfService qos)
    {
        await using var client = await TestClients.ConnectAsync(TestClients.Options(_broker, version));
        var granted = await client.SubscribeAsync("plant/+/temp", qos, CancellationToken.None);
        Assert.Equal(qos, granted.GrantedQos);

        await MosquittoClients.PublishAsync(_broker, "plant/pump-1/temp", "21.5", qos: (int)qos);
        var message = await TestClients.NextAsync(client);

        Assert.Equal("plant/pump-1/temp", message.Topic);
        Assert.Equal("21.5", TestClients.Text(message));
        Assert.Equal(qos, message.Qos);
        Assert.False(message.Retain);
        Assert.True(message.Acknowledge());
        Assert.Equal(1, client.MessagesReceived);
        Assert.Equal(qos == MqttQualityOfService.AtMostOnce ? 0 : 1, client.MessagesAcknowledged);
    }

    [Theory]
    [MemberData(nameof(VersionsAndQos))]
    public async Task Published_payloads_arrive_byte_for_byte_at_another_client(MqttProtocolVersion version, MqttQualityOfService qos)
    {
        await using var subscriber = await TestClients.ConnectAsync(TestClients.Options(_broker, version));
        await subscriber.SubscribeAsync("rt/#", MqttQualityOfService.ExactlyOnce, CancellationToken.None);
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(_broker, version));
        var binary = new byte[256];
        for (var i = 0; i < binary.Length; i++) binary[i] = (byte)i;
        var large = new byte[200_000];
        new Random(7).NextBytes(large);
        byte[][] payloads = [binary, [], large, TestClients.Bytes("ünïcödé")];

        for (var i = 0; i < payloads.Length; i++)
        {
            var result = await publisher.PublishAsync($"rt/{i}", payloads[i], qos, retain: false, CancellationToken.None);
            Assert.True(result.IsSuccess);
        }

        for (var i = 0; i < payloads.Length; i++)
        {
            var message = await TestClients.NextAsync(subscriber);
            Assert.Equal($"rt/{i}", message.Topic);
            Assert.Equal(payloads[i], message.Payload.ToArray());
            Assert.Equal(qos, message.Qos);
            message.Acknowledge();
        }
        Assert.Equal(payloads.Length, publisher.MessagesPublished);
    }

    [Theory]
    [MemberData(nameof(VersionsAndQos))]
    public async Task Mosquitto_sub_sees_exactly_what_was_published(MqttProtocolVersion version, MqttQualityOfService qos)
    {
        await using var sub = await MosquittoClients.SubscribeAsync(_broker, "check/#", qos: 2);
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(_broker, version));

        await publisher.PublishAsync("check/a", new byte[] { 0x00, 0x01, 0xFE, 0xFF }, qos, false, CancellationToken.None);
        await publisher.PublishAsync("check/b", TestClients.Bytes("hello"), qos, false, CancellationToken.None);

        await Wait.UntilAsync(() => MosquittoClients.Messages(sub).Count >= 2, "mosquitto_sub printing 2 messages");
        var q = ((int)qos).ToString(CultureInfo.InvariantCulture);
        Assert.Equal([$"MSG {q} check/a 0001feff", $"MSG {q} check/b 68656c6c6f"], MosquittoClients.Messages(sub));
    }

    [Fact]
    public async Task Retained_message_is_delivered_to_a_later_subscriber_with_the_retain_flag()
    {
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(_broker, MqttProtocolVersion.V500));
        await publisher.PublishAsync("cfg/line-1", TestClients.Bytes("v1"), MqttQualityOfService.AtLeastOnce, retain: true, CancellationToken.None);

        await using var subscriber = await TestClients.ConnectAsync(TestClients.Options(_broker, MqttProtocolVersion.V311));
        await subscriber.SubscribeAsync("cfg/#", MqttQualityOfService.AtLeastOnce, CancellationToken.None);
        var message = await TestClients.NextAsync(subscriber);

        Assert.True(message.Retain);
        Assert.Equal("v1", TestClients.Text(message));
    }

    [Fact]
    public async Task Mqtt5_user_properties_and_content_type_are_surfaced()
    {
        await using var client = await TestClients.ConnectAsync(TestClients.Options(_broker, MqttProtocolVersion.V500));
        await client.SubscribeAsync("props/#", MqttQualityOfService.AtLeastOnce, CancellationToken.None);

        await MosquittoClients.PublishAsync(_broker, "props/x", "{}", qos: 1, extraArgs:
            ["-V", "mqttv5", "-D", "publish", "user-property", "site", "plant-7", "-D", "publish", "content-type", "application/json"]);
        var message = await TestClients.NextAsync(client);

        Assert.Equal("application/json", message.ContentType);
        Assert.Equal([new MqttUserProperty("site", "plant-7")], message.UserProperties);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Thousands_of_pipelined_qos1_publishes_all_complete_and_arrive(MqttProtocolVersion version)
    {
        const int count = 5000;
        await using var subscriber = await TestClients.ConnectAsync(TestClients.Options(_broker, version));
        await subscriber.SubscribeAsync("bulk", MqttQualityOfService.AtMostOnce, CancellationToken.None);
        var options = TestClients.Options(_broker, version);
        options.MaxInFlightPublishes = 100;
        await using var publisher = await TestClients.ConnectAsync(options);

        var tasks = new Task<MqttPublishResult>[count];
        for (var i = 0; i < count; i++)
            tasks[i] = publisher.PublishAsync("bulk", BitConverter.GetBytes(i), MqttQualityOfService.AtLeastOnce, false, CancellationToken.None).AsTask();
        var results = await Wait.ForAsync(Task.WhenAll(tasks), "5000 PUBACKs");

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(0, publisher.PublishesInFlight);
        var next = 0;
        while (next < count)
        {
            var message = await TestClients.NextAsync(subscriber);
            Assert.Equal(next++, BitConverter.ToInt32(message.Payload.Span));
        }
    }

    [Fact]
    public async Task Acknowledgements_from_many_threads_in_any_order_are_all_sent()
    {
        const int count = 50;
        var clientId = "acks-" + Guid.NewGuid().ToString("N")[..8];
        await using (var client = await TestClients.ConnectAsync(TestClients.Persistent(_broker, MqttProtocolVersion.V500, clientId)))
        {
            await client.SubscribeAsync("acks", MqttQualityOfService.AtLeastOnce, CancellationToken.None);
            await using (var publisher = await TestClients.ConnectAsync(TestClients.Options(_broker, MqttProtocolVersion.V500)))
                for (var i = 0; i < count; i++)
                    await publisher.PublishAsync("acks", BitConverter.GetBytes(i), MqttQualityOfService.AtLeastOnce, false, CancellationToken.None);

            var received = new List<MqttReceivedMessage>();
            for (var i = 0; i < count; i++) received.Add(await TestClients.NextAsync(client));
            received.Reverse();
            await Task.WhenAll(received.Select(m => Task.Run(() => Assert.True(m.Acknowledge()))));
            Assert.Equal(count, client.MessagesAcknowledged);
        }

        // The session holds nothing unacknowledged: the first message after reconnecting is a new one.
        await using var again = await TestClients.ConnectAsync(TestClients.Persistent(_broker, MqttProtocolVersion.V500, clientId));
        await MosquittoClients.PublishAsync(_broker, "acks", "marker");
        var first = await TestClients.NextAsync(again);
        Assert.True(TestClients.Text(first) == "marker", $"expected marker, got {Convert.ToHexString(first.Payload.Span)} dup={first.Dup} qos={first.Qos}");
    }

    [Fact]
    public async Task Wildcards_in_a_publish_topic_are_refused_before_sending()
    {
        await using var client = await TestClients.ConnectAsync(TestClients.Options(_broker, MqttProtocolVersion.V500));
        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            client.PublishAsync("plant/+/temp", TestClients.Bytes("x"), MqttQualityOfService.AtMostOnce, false, CancellationToken.None).AsTask());
        Assert.Contains("without wildcards", ex.Message);
        Assert.True(client.IsConnected);
    }
}
