namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>The four kinds of NodeId identifier (Part 3, 8.2.3) as written in the text form: i=, s=, g=, b=.</summary>
internal enum IdType : byte
{
    Numeric = 0,
    String = 1,
    Guid = 2,
    Opaque = 3,
}
