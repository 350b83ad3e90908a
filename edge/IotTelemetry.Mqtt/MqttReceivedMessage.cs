using IotTelemetry.Mqtt.Internal;

namespace IotTelemetry.Mqtt;

/// <summary>
/// A message the broker delivered. QoS 1/2 messages stay the broker's responsibility until
/// <see cref="Acknowledge"/> is called: call it only once the message is safe (e.g. durable in Kafka).
/// Unacknowledged messages are redelivered after a reconnect when the session is persistent.
/// </summary>
public sealed class MqttReceivedMessage
{
    private readonly MqttClient? _client;
    private readonly MqttConnection? _connection;
    private int _acknowledged;

    internal MqttReceivedMessage(MqttClient? client, MqttConnection? connection, string topic, ReadOnlyMemory<byte> payload,
        MqttQualityOfService qos, bool retain, bool dup, ushort packetId, string? contentType, IReadOnlyList<MqttUserProperty> userProperties)
    {
        _client = client;
        _connection = connection;
        Topic = topic;
        Payload = payload;
        Qos = qos;
        Retain = retain;
        Dup = dup;
        PacketId = packetId;
        ContentType = contentType;
        UserProperties = userProperties;
    }

    public string Topic { get; }
    public ReadOnlyMemory<byte> Payload { get; }
    public MqttQualityOfService Qos { get; }
    public bool Retain { get; }

    /// <summary>The broker may have delivered this message before (a redelivery).</summary>
    public bool Dup { get; }

    /// <summary>The broker's packet identifier (0 for QoS 0).</summary>
    public ushort PacketId { get; }

    /// <summary>MQTT 5 content type, when the publisher set one.</summary>
    public string? ContentType { get; }

    /// <summary>MQTT 5 user properties (empty for 3.1.1).</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; }

    public bool IsAcknowledged => Volatile.Read(ref _acknowledged) != 0;

    /// <summary>
    /// Tells the broker the message is handled: PUBACK for QoS 1, PUBREC for QoS 2 (PUBCOMP follows
    /// PUBREL automatically). Thread-safe, any order, idempotent. A no-op returning true for QoS 0.
    /// Returns false when the connection the message came on is gone: the broker still holds the
    /// message and will deliver it again.
    /// </summary>
    public bool Acknowledge()
    {
        if (Qos == MqttQualityOfService.AtMostOnce || _client is null || _connection is null) return true;
        if (Interlocked.Exchange(ref _acknowledged, 1) != 0) return true;
        if (_client.SendAcknowledgement(_connection, this)) return true;
        Volatile.Write(ref _acknowledged, 0);
        return false;
    }
}
