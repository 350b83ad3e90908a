namespace IotTelemetry.OpcUa;

/// <summary>How messages on the secure channel are protected (Part 4, 7.20); the values are those on the wire.</summary>
public enum OpcUaSecurityMode
{
    None = 1,
    Sign = 2,
    SignAndEncrypt = 3,
}
