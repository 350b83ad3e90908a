namespace IotTelemetry.Mqtt;

/// <summary>
/// How the broker answered a publish: the PUBACK/PUBREC reason code (always 0 for MQTT 3.1.1 and
/// for QoS 0). Codes below 0x80 are success (0x10 "no matching subscribers" included).
/// </summary>
public readonly record struct MqttPublishResult(byte ReasonCode, string? ReasonString = null)
{
    public bool IsSuccess => ReasonCode < 0x80;
}
