namespace IotTelemetry.Mqtt;

/// <summary>A packet exceeds the configured or broker-announced maximum packet size.</summary>
public sealed class MqttPacketTooLargeException(int packetSize, int limit, string limitSource)
    : MqttException($"MQTT packet of {packetSize} bytes exceeds the maximum packet size of {limit} bytes ({limitSource})", isTransient: false)
{
    public int PacketSize { get; } = packetSize;
    public int Limit { get; } = limit;
}
