namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>
/// A structure wrapped with the NodeId of its encoding (Part 6, 5.2.2.15). When the type is known, <see cref="Body"/>
/// holds the decoded structure; otherwise <see cref="RawBody"/> holds the bytes as received.
/// </summary>
internal sealed class ExtensionObject
{
    public static readonly ExtensionObject Null = new(NodeId.Null, null, null);

    public ExtensionObject(NodeId typeId, object? body, byte[]? rawBody, byte encoding = 1)
    {
        TypeId = typeId;
        Body = body;
        RawBody = rawBody;
        Encoding = body is null && rawBody is null ? (byte)0 : encoding;
    }

    public static ExtensionObject From(IUaEncodeable body) => new(new NodeId(0, body.BinaryEncodingId), body, null);

    public NodeId TypeId { get; }
    public object? Body { get; }
    public byte[]? RawBody { get; }

    /// <summary>0: no body, 1: binary body, 2: XML body.</summary>
    public byte Encoding { get; }

    public bool IsNull => Encoding == 0 && TypeId.IsNull;
}
