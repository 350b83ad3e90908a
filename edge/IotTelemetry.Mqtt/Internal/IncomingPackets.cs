namespace IotTelemetry.Mqtt.Internal;

// The packets a client receives, decoded; small types of one family kept together.

internal readonly record struct ConnAckPacket(bool SessionPresent, byte ReasonCode, MqttProperties? Properties);

internal readonly record struct AckPacket(ushort PacketId, byte ReasonCode, string? ReasonString);

internal sealed record SubAckPacket(ushort PacketId, byte[] ReasonCodes, string? ReasonString);

internal readonly record struct DisconnectPacket(byte ReasonCode, string? ReasonString);

internal readonly ref struct PublishPacket(
    string topic, ushort packetId, MqttQualityOfService qos, bool dup, bool retain, MqttProperties? properties, ReadOnlySpan<byte> payload)
{
    public string Topic { get; } = topic;
    public ushort PacketId { get; } = packetId;
    public MqttQualityOfService Qos { get; } = qos;
    public bool Dup { get; } = dup;
    public bool Retain { get; } = retain;
    public MqttProperties? Properties { get; } = properties;
    public ReadOnlySpan<byte> Payload { get; } = payload;
}
