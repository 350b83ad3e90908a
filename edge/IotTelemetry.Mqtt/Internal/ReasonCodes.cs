namespace IotTelemetry.Mqtt.Internal;

/// <summary>Texts for MQTT 3.1.1 CONNACK return codes and MQTT 5 reason codes.</summary>
internal static class ReasonCodes
{
    public static string DescribeConnAck(byte code, MqttProtocolVersion version) =>
        version == MqttProtocolVersion.V311
            ? code switch
            {
                0 => "accepted",
                1 => "unacceptable protocol version",
                2 => "identifier rejected",
                3 => "server unavailable",
                4 => "bad user name or password",
                5 => "not authorized",
                _ => "unknown return code",
            }
            : Describe(code);

    public static string Format(byte code, MqttProtocolVersion version) =>
        version == MqttProtocolVersion.V311 ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"0x{code:X2}";

    public static string Describe(byte code) => code switch
    {
        0x00 => "success",
        0x01 => "granted QoS 1",
        0x02 => "granted QoS 2",
        0x04 => "disconnect with will message",
        0x10 => "no matching subscribers",
        0x11 => "no subscription existed",
        0x18 => "continue authentication",
        0x19 => "re-authenticate",
        0x80 => "unspecified error",
        0x81 => "malformed packet",
        0x82 => "protocol error",
        0x83 => "implementation specific error",
        0x84 => "unsupported protocol version",
        0x85 => "client identifier not valid",
        0x86 => "bad user name or password",
        0x87 => "not authorized",
        0x88 => "server unavailable",
        0x89 => "server busy",
        0x8A => "banned",
        0x8B => "server shutting down",
        0x8C => "bad authentication method",
        0x8D => "keep alive timeout",
        0x8E => "session taken over",
        0x8F => "topic filter invalid",
        0x90 => "topic name invalid",
        0x91 => "packet identifier in use",
        0x92 => "packet identifier not found",
        0x93 => "receive maximum exceeded",
        0x94 => "topic alias invalid",
        0x95 => "packet too large",
        0x96 => "message rate too high",
        0x97 => "quota exceeded",
        0x98 => "administrative action",
        0x99 => "payload format invalid",
        0x9A => "retain not supported",
        0x9B => "QoS not supported",
        0x9C => "use another server",
        0x9D => "server moved",
        0x9E => "shared subscriptions not supported",
        0x9F => "connection rate exceeded",
        0xA0 => "maximum connect time",
        0xA1 => "subscription identifiers not supported",
        0xA2 => "wildcard subscriptions not supported",
        _ => "unknown reason code",
    };

    /// <summary>Refusals that reconnecting will not fix without a configuration change.</summary>
    public static bool IsPermanentConnectRefusal(byte code, MqttProtocolVersion version) =>
        version == MqttProtocolVersion.V311
            ? code is 1 or 2 or 4 or 5
            : code is 0x84 or 0x85 or 0x86 or 0x87 or 0x8A or 0x8C;
}
