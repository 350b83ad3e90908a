using IotTelemetry.Edge.Mqtt;
using MQTTnet;
using MQTTnet.Packets;

namespace IotTelemetry.Edge.Tests;

/// <summary>
/// PUBACKs in arrival order per packet identifier (mosquitto 2.0.11 can hold two messages under one identifier), and the
/// counts behind the <c>iott_edge_mqtt_unacknowledged</c> and <c>iott_edge_mqtt_held_back</c> gauges.
/// </summary>
public sealed class AcknowledgementOrderTests
{
    private static MqttApplicationMessageReceivedEventArgs Message(ushort id) =>
        new("agent", new MqttApplicationMessage { Topic = "plants/a/b" }, new MqttPublishPacket { PacketIdentifier = id }, (_, _) => Task.CompletedTask);

    [Fact]
    public void A_younger_message_of_the_same_identifier_waits_for_the_older_and_is_counted_as_held_back()
    {
        var order = new AcknowledgementOrder();
        var older = order.Received(Message(7));
        var other = order.Received(Message(8));
        var younger = order.Received(Message(7));
        Assert.Equal(3, order.Unacknowledged);

        Assert.Empty(order.Release(younger)); // durable first, but its identifier's older message is not
        Assert.Equal(1, order.HeldBack);
        Assert.Single(order.Release(other)); // another identifier never waits
        Assert.Equal(2, order.Unacknowledged);

        var ready = order.Release(older);
        Assert.Equal([older.Message, younger.Message], ready);
        Assert.Equal(0, order.Unacknowledged);
        Assert.Equal(0, order.HeldBack);
        Assert.Empty(order.Release(older)); // released once only
        Assert.Equal(0, order.Unacknowledged);
    }
}
