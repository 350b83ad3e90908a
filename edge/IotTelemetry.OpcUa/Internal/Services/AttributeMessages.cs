using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>Attribute ids used here (Part 6, A.1).</summary>
internal static class AttributeIds
{
    public const uint NodeId = 1;
    public const uint BrowseName = 3;
    public const uint DisplayName = 4;
    public const uint Value = 13;
    public const uint DataType = 14;
}

/// <summary>Part 4, 7.29: which attribute of which node.</summary>
internal sealed record ReadValueId(NodeId NodeId, uint AttributeId)
{
    public void Encode(UaWriter w)
    {
        w.WriteNodeId(NodeId);
        w.WriteUInt32(AttributeId);
        w.WriteString(null); // indexRange
        w.WriteQualifiedName(QualifiedName.Null); // dataEncoding
    }
}

/// <summary>Read (Part 4, 5.10.2). TimestampsToReturn: 0 source, 1 server, 2 both, 3 neither.</summary>
internal sealed record ReadRequest(ReadValueId[] NodesToRead, uint TimestampsToReturn = 2) : IUaRequest
{
    public uint BinaryEncodingId => 631;

    public void EncodeBody(UaWriter w)
    {
        w.WriteDouble(0); // maxAge
        w.WriteUInt32(TimestampsToReturn);
        w.WriteArray(NodesToRead, static (x, n) => n.Encode(x));
    }
}

internal sealed record ReadResponse(ResponseHeader Header, DataValue[] Results) : IUaResponse
{
    public const uint EncodingId = 634;

    public static ReadResponse Decode(UaReader r)
    {
        var header = ResponseHeader.Decode(r);
        var results = r.ReadArray(static x => x.ReadDataValue());
        r.ReadArray(static x => x.ReadDiagnosticInfo());
        return new ReadResponse(header, results);
    }
}

/// <summary>Part 8, 5.6.3: the unit of an analog item (EngineeringUnits property).</summary>
internal sealed record EUInformation(string? NamespaceUri, int UnitId, LocalizedText DisplayName, LocalizedText Description)
{
    public const uint EncodingId = 889;

    public static EUInformation Decode(UaReader r) =>
        new(r.ReadString(), r.ReadInt32(), r.ReadLocalizedText(), r.ReadLocalizedText());
}
