namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>A structure that writes itself in UA Binary and names its DefaultBinary encoding NodeId (namespace 0).</summary>
internal interface IUaEncodeable
{
    uint BinaryEncodingId { get; }

    void Encode(UaWriter writer);
}
