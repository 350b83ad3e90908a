using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>The header every request starts with (Part 4, 7.32).</summary>
internal sealed record RequestHeader(NodeId AuthenticationToken, uint RequestHandle, uint TimeoutHintMs)
{
    public void Encode(UaWriter w)
    {
        w.WriteNodeId(AuthenticationToken);
        w.WriteDateTime(DateTime.UtcNow);
        w.WriteUInt32(RequestHandle);
        w.WriteUInt32(0); // returnDiagnostics
        w.WriteString(null); // auditEntryId
        w.WriteUInt32(TimeoutHintMs);
        w.WriteExtensionObject(ExtensionObject.Null); // additionalHeader
    }
}

/// <summary>The header every response starts with (Part 4, 7.33).</summary>
internal sealed record ResponseHeader(DateTime Timestamp, uint RequestHandle, StatusCode ServiceResult, string[] StringTable)
{
    public static ResponseHeader Decode(UaReader r)
    {
        var timestamp = r.ReadDateTime();
        var handle = r.ReadUInt32();
        var result = r.ReadStatusCode();
        r.ReadDiagnosticInfo();
        var strings = r.ReadArray(static x => x.ReadString() ?? "");
        r.ReadExtensionObject();
        return new ResponseHeader(timestamp, handle, result, strings);
    }
}

/// <summary>A response of any service.</summary>
internal interface IUaResponse
{
    ResponseHeader Header { get; }
}

/// <summary>A request of any service: its header is written by the channel, the rest by <see cref="EncodeBody"/>.</summary>
internal interface IUaRequest
{
    uint BinaryEncodingId { get; }

    void EncodeBody(UaWriter writer);
}

/// <summary>What a server answers instead of a response when the whole service call failed (Part 4, 7.35).</summary>
internal sealed record ServiceFault(ResponseHeader Header) : IUaResponse
{
    public const uint EncodingId = 397;

    public static ServiceFault Decode(UaReader r) => new(ResponseHeader.Decode(r));
}
