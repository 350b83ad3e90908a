using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>OpenSecureChannel request (Part 4, 5.5.2): issue (0) or renew (1) a security token.</summary>
internal sealed record OpenSecureChannelRequest(uint RequestType, uint SecurityMode, byte[]? ClientNonce, uint RequestedLifetimeMs) : IUaRequest
{
    public uint BinaryEncodingId => 446;

    public void EncodeBody(UaWriter w)
    {
        w.WriteUInt32(0); // clientProtocolVersion
        w.WriteUInt32(RequestType);
        w.WriteUInt32(SecurityMode);
        w.WriteByteString(ClientNonce);
        w.WriteUInt32(RequestedLifetimeMs);
    }
}

/// <summary>The token a secure channel runs under until it expires.</summary>
internal sealed record ChannelSecurityToken(uint ChannelId, uint TokenId, DateTime CreatedAt, uint RevisedLifetimeMs);

internal sealed record OpenSecureChannelResponse(ResponseHeader Header, uint ServerProtocolVersion, ChannelSecurityToken Token, byte[]? ServerNonce)
    : IUaResponse
{
    public const uint EncodingId = 449;

    public static OpenSecureChannelResponse Decode(UaReader r) => new(
        ResponseHeader.Decode(r),
        r.ReadUInt32(),
        new ChannelSecurityToken(r.ReadUInt32(), r.ReadUInt32(), r.ReadDateTime(), r.ReadUInt32()),
        r.ReadByteString());
}

internal sealed record CloseSecureChannelRequest : IUaRequest
{
    public uint BinaryEncodingId => 452;

    public void EncodeBody(UaWriter w)
    {
    }
}
