using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>CreateSession (Part 4, 5.6.2).</summary>
internal sealed record CreateSessionRequest(
    ApplicationDescription ClientDescription,
    string EndpointUrl,
    string SessionName,
    byte[]? ClientNonce,
    byte[]? ClientCertificate,
    double RequestedSessionTimeoutMs) : IUaRequest
{
    public uint BinaryEncodingId => 461;

    public void EncodeBody(UaWriter w)
    {
        ClientDescription.Encode(w);
        w.WriteString(null); // serverUri
        w.WriteString(EndpointUrl);
        w.WriteString(SessionName);
        w.WriteByteString(ClientNonce);
        w.WriteByteString(ClientCertificate);
        w.WriteDouble(RequestedSessionTimeoutMs);
        w.WriteUInt32(0); // maxResponseMessageSize: no limit
    }
}

internal sealed record SignatureData(string? Algorithm, byte[]? Signature)
{
    public static readonly SignatureData Empty = new(null, null);

    public void Encode(UaWriter w)
    {
        w.WriteString(Algorithm);
        w.WriteByteString(Signature);
    }

    public static SignatureData Decode(UaReader r) => new(r.ReadString(), r.ReadByteString());
}

internal sealed record CreateSessionResponse(
    ResponseHeader Header,
    NodeId SessionId,
    NodeId AuthenticationToken,
    double RevisedSessionTimeoutMs,
    byte[]? ServerNonce,
    byte[]? ServerCertificate,
    EndpointDescription[] ServerEndpoints,
    SignatureData ServerSignature,
    uint MaxRequestMessageSize) : IUaResponse
{
    public const uint EncodingId = 464;

    public static CreateSessionResponse Decode(UaReader r)
    {
        var header = ResponseHeader.Decode(r);
        var sessionId = r.ReadNodeId();
        var token = r.ReadNodeId();
        var timeout = r.ReadDouble();
        var nonce = r.ReadByteString();
        var certificate = r.ReadByteString();
        var endpoints = r.ReadArray(EndpointDescription.Decode);
        r.ReadArray(static x => (x.ReadByteString(), x.ReadByteString())); // serverSoftwareCertificates
        var signature = SignatureData.Decode(r);
        return new CreateSessionResponse(header, sessionId, token, timeout, nonce, certificate, endpoints, signature, r.ReadUInt32());
    }
}

/// <summary>ActivateSession (Part 4, 5.6.3).</summary>
internal sealed record ActivateSessionRequest(SignatureData ClientSignature, ExtensionObject UserIdentityToken, SignatureData UserTokenSignature)
    : IUaRequest
{
    public uint BinaryEncodingId => 467;

    public void EncodeBody(UaWriter w)
    {
        ClientSignature.Encode(w);
        w.WriteInt32(-1); // clientSoftwareCertificates
        w.WriteArray(["en"], static (x, s) => x.WriteString(s)); // localeIds
        w.WriteExtensionObject(UserIdentityToken);
        UserTokenSignature.Encode(w);
    }
}

internal sealed record ActivateSessionResponse(ResponseHeader Header, byte[]? ServerNonce, StatusCode[] Results) : IUaResponse
{
    public const uint EncodingId = 470;

    public static ActivateSessionResponse Decode(UaReader r)
    {
        var header = ResponseHeader.Decode(r);
        var nonce = r.ReadByteString();
        var results = r.ReadArray(static x => x.ReadStatusCode());
        r.ReadArray(static x => x.ReadDiagnosticInfo());
        return new ActivateSessionResponse(header, nonce, results);
    }
}

internal sealed record CloseSessionRequest(bool DeleteSubscriptions) : IUaRequest
{
    public uint BinaryEncodingId => 473;

    public void EncodeBody(UaWriter w) => w.WriteBoolean(DeleteSubscriptions);
}

internal sealed record CloseSessionResponse(ResponseHeader Header) : IUaResponse
{
    public const uint EncodingId = 476;

    public static CloseSessionResponse Decode(UaReader r) => new(ResponseHeader.Decode(r));
}

/// <summary>Part 4, 7.36.3: log in without a user.</summary>
internal sealed record AnonymousIdentityToken(string? PolicyId) : IUaEncodeable
{
    public uint BinaryEncodingId => 321;

    public void Encode(UaWriter w) => w.WriteString(PolicyId);
}

/// <summary>Part 4, 7.36.5: log in with a user certificate (DER); the user token signature proves the key.</summary>
internal sealed record X509IdentityToken(string? PolicyId, byte[] CertificateData) : IUaEncodeable
{
    public uint BinaryEncodingId => 327;

    public void Encode(UaWriter w)
    {
        w.WriteString(PolicyId);
        w.WriteByteString(CertificateData);
    }
}

/// <summary>Part 4, 7.36.4: the password is plain UTF-8 when the token policy is None, otherwise encrypted (Part 4, 7.36.2.2).</summary>
internal sealed record UserNameIdentityToken(string? PolicyId, string UserName, byte[] Password, string? EncryptionAlgorithm) : IUaEncodeable
{
    public uint BinaryEncodingId => 324;

    public void Encode(UaWriter w)
    {
        w.WriteString(PolicyId);
        w.WriteString(UserName);
        w.WriteByteString(Password);
        w.WriteString(EncryptionAlgorithm);
    }

    public override string ToString() => $"UserNameIdentityToken {{ PolicyId = {PolicyId}, UserName = {UserName} }}";
}
