using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IotTelemetry.OpcUa.Internal.Encoding;
using IotTelemetry.OpcUa.Internal.Security;
using IotTelemetry.OpcUa.Internal.Transport;

namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>A session on a secure channel (Part 4, 5.6): created and activated with a user identity, then used for service calls.</summary>
internal sealed class UaSession
{
    private UaSession(SecureChannel channel, SessionSettings settings, NodeId sessionId, NodeId authenticationToken)
    {
        Channel = channel;
        Settings = settings;
        SessionId = sessionId;
        AuthenticationToken = authenticationToken;
    }

    public SecureChannel Channel { get; }
    public SessionSettings Settings { get; }
    public NodeId SessionId { get; }
    public NodeId AuthenticationToken { get; }
    private string Endpoint => Settings.EndpointUrl;

    public static async Task<UaSession> CreateAsync(SecureChannel channel, SessionSettings settings, EndpointDescription endpoint,
        SecurityPolicy policy, X509Certificate2? clientCertificate, CancellationToken cancellationToken)
    {
        var clientNonce = RandomNumberGenerator.GetBytes(32);
        var description = new ApplicationDescription(settings.ApplicationUri, "urn:IotTelemetry", new LocalizedText("en", settings.ApplicationName),
            1, null, null, []);
        var create = await CallAsync<CreateSessionResponse>(channel, NodeId.Null, new CreateSessionRequest(description, settings.EndpointUrl,
                settings.ApplicationName + " " + Guid.NewGuid().ToString("N")[..8], clientNonce, clientCertificate?.RawData,
                settings.SessionTimeout.TotalMilliseconds), settings.RequestTimeout, "CreateSession", cancellationToken)
            .ConfigureAwait(false);
        var serverCertificate = create.ServerCertificate ?? endpoint.ServerCertificate;
        var clientSignature = SignatureData.Empty;
        if (!policy.IsNone)
        {
            using var server = X509CertificateLoader.LoadCertificate(serverCertificate!);
            using var serverKey = server.GetRSAPublicKey()!;
            var signed = Concat(clientCertificate!.RawData, clientNonce);
            if (create.ServerSignature.Signature is null || !policy.AsymmetricVerify(serverKey, signed, create.ServerSignature.Signature))
                throw new OpcUaException(settings.EndpointUrl, StatusCodes.BadApplicationSignatureInvalid,
                    "CreateSession: expected the server to sign our certificate and nonce but the signature did not verify", false);
            using var clientKey = clientCertificate.GetRSAPrivateKey()!;
            clientSignature = new SignatureData(policy.AsymmetricSignatureUri,
                policy.AsymmetricSign(clientKey, Concat(serverCertificate!, create.ServerNonce ?? [])));
        }
        var (identity, userSignature) = settings.UserCertificate is { } user
            ? BuildX509Identity(settings.EndpointUrl, user, endpoint, serverCertificate, create.ServerNonce ?? [])
            : (BuildIdentity(settings, endpoint, serverCertificate, create.ServerNonce ?? []), SignatureData.Empty);
        var session = new UaSession(channel, settings, create.SessionId, create.AuthenticationToken);
        try
        {
            await CallAsync<ActivateSessionResponse>(channel, create.AuthenticationToken,
                new ActivateSessionRequest(clientSignature, identity, userSignature), settings.RequestTimeout, "ActivateSession",
                cancellationToken).ConfigureAwait(false);
        }
        catch (OpcUaException e) when (!e.IsTransient || e.StatusCode is StatusCodes.BadUserAccessDenied or StatusCodes.BadIdentityTokenRejected
                                           or StatusCodes.BadIdentityTokenInvalid)
        {
            throw new OpcUaException(settings.EndpointUrl, e.StatusCode,
                settings.UserCertificate is not null
                    ? $"ActivateSession with the user certificate {settings.UserCertificate.Subject} was refused: {new StatusCode(e.StatusCode)}"
                    : settings.UserName is null
                    ? $"ActivateSession (anonymous) was refused: {new StatusCode(e.StatusCode)}"
                    : $"ActivateSession as user '{settings.UserName}' was refused: {new StatusCode(e.StatusCode)}", isTransient: false);
        }
        return session;
    }

    /// <summary>Part 4, 7.36.5: the user certificate, and its key's signature over the server certificate and nonce with the token policy's algorithm.</summary>
    internal static (ExtensionObject Token, SignatureData Signature) BuildX509Identity(string endpointUrl, X509Certificate2 user,
        EndpointDescription endpoint, byte[]? serverCertificate, byte[] serverNonce)
    {
        var policy = endpoint.UserIdentityTokens.FirstOrDefault(t => t.TokenType == 2)
            ?? throw new OpcUaException(endpointUrl, StatusCodes.BadIdentityTokenRejected,
                $"the endpoint does not allow X.509 user certificates (it offers: {string.Join(", ", endpoint.UserIdentityTokens.Select(t => TokenTypeName(t.TokenType)))})", false);
        var signing = SecurityPolicy.FromUri(string.IsNullOrEmpty(policy.SecurityPolicyUri) ? endpoint.SecurityPolicyUri : policy.SecurityPolicyUri);
        if (signing is null || signing.IsNone) signing = SecurityPolicy.Basic256Sha256;
        using var key = user.GetRSAPrivateKey()
            ?? throw new OpcUaException(endpointUrl, StatusCodes.BadIdentityTokenInvalid, $"the user certificate {user.Subject} has no RSA private key", false);
        var signature = new SignatureData(signing.AsymmetricSignatureUri, signing.AsymmetricSign(key, Concat(serverCertificate ?? [], serverNonce)));
        return (ExtensionObject.From(new X509IdentityToken(policy.PolicyId, user.RawData)), signature);
    }

    internal static ExtensionObject BuildIdentity(SessionSettings settings, EndpointDescription endpoint, byte[]? serverCertificate, byte[] serverNonce)
    {
        var offered = string.Join(", ", endpoint.UserIdentityTokens.Select(t => TokenTypeName(t.TokenType)));
        if (settings.UserName is null)
        {
            var anonymous = endpoint.UserIdentityTokens.FirstOrDefault(t => t.TokenType == 0)
                ?? throw new OpcUaException(settings.EndpointUrl, StatusCodes.BadIdentityTokenRejected,
                    $"the endpoint does not allow anonymous login (it offers: {offered}); configure a user name and password", false);
            return ExtensionObject.From(new AnonymousIdentityToken(anonymous.PolicyId));
        }
        var policy = endpoint.UserIdentityTokens.FirstOrDefault(t => t.TokenType == 1)
            ?? throw new OpcUaException(settings.EndpointUrl, StatusCodes.BadIdentityTokenRejected,
                $"the endpoint does not allow user name login (it offers: {offered})", false);
        var tokenPolicyUri = string.IsNullOrEmpty(policy.SecurityPolicyUri) ? endpoint.SecurityPolicyUri : policy.SecurityPolicyUri;
        var password = settings.Password ?? "";
        if (tokenPolicyUri is null or SecurityPolicy.NoneUri)
            return ExtensionObject.From(new UserNameIdentityToken(policy.PolicyId, settings.UserName, System.Text.Encoding.UTF8.GetBytes(password), null));
        if (serverCertificate is null)
            throw new OpcUaException(settings.EndpointUrl, StatusCodes.BadCertificateInvalid,
                "the user token policy requires an encrypted password but the server sent no certificate", false);
        var encrypted = UserTokenEncryption.Encrypt(tokenPolicyUri, password, serverNonce, serverCertificate)
            ?? throw new OpcUaException(settings.EndpointUrl, StatusCodes.BadSecurityPolicyRejected,
                $"the user token policy requires password encryption with {tokenPolicyUri}, which this client does not support", false);
        return ExtensionObject.From(new UserNameIdentityToken(policy.PolicyId, settings.UserName, encrypted.Secret, encrypted.Algorithm));
    }

    private static string TokenTypeName(uint type) => type switch
    {
        0 => "anonymous",
        1 => "user name",
        2 => "certificate",
        3 => "issued token",
        _ => type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var result = new byte[a.Length + b.Length];
        a.CopyTo(result, 0);
        b.CopyTo(result, a.Length);
        return result;
    }

    internal static async Task<T> CallAsync<T>(SecureChannel channel, NodeId authenticationToken, IUaRequest request, TimeSpan timeout,
        string service, CancellationToken cancellationToken) where T : IUaResponse
    {
        IUaResponse response;
        try
        {
            response = await channel.SendAsync(request, authenticationToken, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OpcUaException e) when (!e.Message.Contains(service, StringComparison.Ordinal))
        {
            throw new OpcUaException(e.Endpoint, e.StatusCode, $"{service} failed: {e.Message[(e.Endpoint.Length + 2)..]}", e.IsTransient, e.InnerException);
        }
        return response is T typed
            ? typed
            : throw new OpcUaException(channel.EndpointUrl, StatusCodes.BadUnknownResponse,
                $"{service}: expected {typeof(T).Name} but got {response.GetType().Name}", isTransient: true);
    }

    public Task<T> CallAsync<T>(IUaRequest request, string service, CancellationToken cancellationToken, TimeSpan? timeout = null)
        where T : IUaResponse =>
        CallAsync<T>(Channel, AuthenticationToken, request, timeout ?? Settings.RequestTimeout, service, cancellationToken);

    public async Task<DataValue[]> ReadAsync(IReadOnlyList<ReadValueId> nodes, CancellationToken cancellationToken)
    {
        var results = new List<DataValue>(nodes.Count);
        for (var i = 0; i < nodes.Count; i += 1000)
        {
            var batch = nodes.Skip(i).Take(1000).ToArray();
            var response = await CallAsync<ReadResponse>(new ReadRequest(batch), "Read", cancellationToken).ConfigureAwait(false);
            if (response.Results.Length != batch.Length)
                throw new OpcUaException(Endpoint, StatusCodes.BadUnexpectedError,
                    $"Read: expected {batch.Length} results but got {response.Results.Length}", true);
            results.AddRange(response.Results);
        }
        return [.. results];
    }

    /// <summary>All forward hierarchical references of a node, following continuation points.</summary>
    public async Task<(StatusCode Status, List<ReferenceDescription> References)> BrowseChildrenAsync(NodeId node, CancellationToken cancellationToken)
    {
        var response = await CallAsync<BrowseResponse>(
            new BrowseRequest([new BrowseDescription(node, WellKnownNodes.HierarchicalReferences)]), "Browse", cancellationToken).ConfigureAwait(false);
        var result = response.Results.Single();
        var references = new List<ReferenceDescription>(result.References);
        var continuation = result.ContinuationPoint;
        while (result.Status.IsGood && continuation is { Length: > 0 })
        {
            var next = await CallAsync<BrowseNextResponse>(new BrowseNextRequest(false, [continuation]), "BrowseNext", cancellationToken)
                .ConfigureAwait(false);
            result = next.Results.Single();
            references.AddRange(result.References);
            continuation = result.ContinuationPoint;
        }
        return (result.Status, references);
    }

    public async Task<BrowsePathResult[]> TranslateAsync(BrowsePath[] paths, CancellationToken cancellationToken)
    {
        var response = await CallAsync<TranslateBrowsePathsResponse>(new TranslateBrowsePathsRequest(paths), "TranslateBrowsePathsToNodeIds",
            cancellationToken).ConfigureAwait(false);
        return response.Results;
    }

    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync<CloseSessionResponse>(new CloseSessionRequest(true), "CloseSession", cancellationToken, TimeSpan.FromSeconds(5))
                .ConfigureAwait(false);
        }
        catch (OpcUaException)
        {
            // the session ends with the channel anyway
        }
    }
}
