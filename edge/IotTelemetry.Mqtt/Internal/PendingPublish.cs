namespace IotTelemetry.Mqtt.Internal;

/// <summary>
/// A QoS 1/2 publish the broker has not yet acknowledged: kept to be resent after a reconnect,
/// and completed (as its own task source) by PUBACK or PUBCOMP.
/// </summary>
internal sealed class PendingPublish(string topic, int topicSize, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain)
    : TaskCompletionSource<MqttPublishResult>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public string Topic { get; } = topic;
    public int TopicSize { get; } = topicSize;
    public ReadOnlyMemory<byte> Payload { get; } = payload;
    public MqttQualityOfService Qos { get; } = qos;
    public bool Retain { get; } = retain;
    public ushort PacketId { get; set; }
    public long Sequence { get; set; }

    /// <summary>Written to some connection at least once (a resend then carries DUP).</summary>
    public bool Sent { get; set; }

    /// <summary>QoS 2: PUBREC arrived and PUBREL was sent; only PUBCOMP is missing.</summary>
    public bool Released { get; set; }
}
