using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>GetEndpoints (Part 4, 5.4.4).</summary>
internal sealed record GetEndpointsRequest(string EndpointUrl) : IUaRequest
{
    public uint BinaryEncodingId => 428;

    public void EncodeBody(UaWriter w)
    {
        w.WriteString(EndpointUrl);
        w.WriteInt32(-1); // localeIds
        w.WriteInt32(-1); // profileUris
    }
}

internal sealed record GetEndpointsResponse(ResponseHeader Header, EndpointDescription[] Endpoints) : IUaResponse
{
    public const uint EncodingId = 431;

    public static GetEndpointsResponse Decode(UaReader r) => new(ResponseHeader.Decode(r), r.ReadArray(EndpointDescription.Decode));
}

/// <summary>Part 4, 7.14.</summary>
internal sealed record EndpointDescription(
    string? EndpointUrl,
    ApplicationDescription Server,
    byte[]? ServerCertificate,
    uint SecurityMode,
    string? SecurityPolicyUri,
    UserTokenPolicy[] UserIdentityTokens,
    string? TransportProfileUri,
    byte SecurityLevel)
{
    public static EndpointDescription Decode(UaReader r) => new(
        r.ReadString(), ApplicationDescription.Decode(r), r.ReadByteString(), r.ReadUInt32(), r.ReadString(),
        r.ReadArray(UserTokenPolicy.Decode), r.ReadString(), r.ReadByte());
}

/// <summary>Part 4, 7.1.</summary>
internal sealed record ApplicationDescription(
    string? ApplicationUri,
    string? ProductUri,
    LocalizedText ApplicationName,
    uint ApplicationType,
    string? GatewayServerUri,
    string? DiscoveryProfileUri,
    string[] DiscoveryUrls)
{
    public void Encode(UaWriter w)
    {
        w.WriteString(ApplicationUri);
        w.WriteString(ProductUri);
        w.WriteLocalizedText(ApplicationName);
        w.WriteUInt32(ApplicationType);
        w.WriteString(GatewayServerUri);
        w.WriteString(DiscoveryProfileUri);
        w.WriteArray(DiscoveryUrls, static (x, s) => x.WriteString(s));
    }

    public static ApplicationDescription Decode(UaReader r) => new(
        r.ReadString(), r.ReadString(), r.ReadLocalizedText(), r.ReadUInt32(), r.ReadString(), r.ReadString(),
        r.ReadArray(static x => x.ReadString() ?? ""));
}

/// <summary>Part 4, 7.41: how a user may log in on an endpoint. TokenType 0 anonymous, 1 user name, 2 certificate, 3 issued.</summary>
internal sealed record UserTokenPolicy(string? PolicyId, uint TokenType, string? IssuedTokenType, string? IssuerEndpointUrl, string? SecurityPolicyUri)
{
    public static UserTokenPolicy Decode(UaReader r) =>
        new(r.ReadString(), r.ReadUInt32(), r.ReadString(), r.ReadString(), r.ReadString());
}
