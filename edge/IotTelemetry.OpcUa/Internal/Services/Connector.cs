using System.Security.Cryptography.X509Certificates;
using IotTelemetry.OpcUa.Internal.Encoding;
using IotTelemetry.OpcUa.Internal.Security;
using IotTelemetry.OpcUa.Internal.Transport;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>
/// Connects the way Part 4, 5.4 and 5.6 describe: GetEndpoints on an unsecured channel, pick the endpoint with the
/// configured policy and mode, check its certificate against the trust list, open the secured channel, create and
/// activate a session.
/// </summary>
internal static class Connector
{
    private const string BinaryTransport = "http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary";

    public static async Task<UaSession> ConnectAsync(OpcUaClientOptions options, Func<X509Certificate2> clientCertificate,
        CertificateTrust trust, ILogger logger, CancellationToken cancellationToken)
    {
        var url = options.EndpointUrl;
        var discovery = new ChannelSettings(url, SecurityPolicy.None, OpcUaSecurityMode.None, null, null, 60_000, options.RequestTimeout);
        EndpointDescription[] endpoints;
        var probe = await SecureChannel.OpenAsync(discovery, logger, cancellationToken).ConfigureAwait(false);
        try
        {
            endpoints = (await UaSession.CallAsync<GetEndpointsResponse>(probe, NodeId.Null, new GetEndpointsRequest(url), options.RequestTimeout,
                "GetEndpoints", cancellationToken).ConfigureAwait(false)).Endpoints;
        }
        finally
        {
            await probe.CloseAsync(cancellationToken).ConfigureAwait(false);
            await probe.DisposeAsync().ConfigureAwait(false);
        }

        var policy = options.SecurityPolicy switch
        {
            OpcUaSecurityPolicy.Basic256Sha256 => SecurityPolicy.Basic256Sha256,
            OpcUaSecurityPolicy.Aes128Sha256RsaOaep => SecurityPolicy.Aes128Sha256RsaOaep,
            OpcUaSecurityPolicy.Aes256Sha256RsaPss => SecurityPolicy.Aes256Sha256RsaPss,
            _ => SecurityPolicy.None,
        };
        var endpoint = endpoints.FirstOrDefault(e => e.SecurityPolicyUri == policy.Uri && e.SecurityMode == (uint)options.SecurityMode
                                                     && (e.TransportProfileUri is null or "" or BinaryTransport));
        if (endpoint is null)
        {
            var offered = string.Join(", ", endpoints.Select(e =>
                $"{e.SecurityPolicyUri?[(e.SecurityPolicyUri.LastIndexOf('#') + 1)..]}/{(OpcUaSecurityMode)e.SecurityMode}").Distinct());
            throw new OpcUaException(url, StatusCodes.BadSecurityPolicyRejected,
                $"the server offers no endpoint with {options.SecurityPolicy}/{options.SecurityMode}, which this client requires (it offers: {offered})",
                isTransient: false);
        }

        var needsServerCertificate = !policy.IsNone || options.UserCertificatePath is not null || (options.UserName is not null && endpoint.UserIdentityTokens.Any(t =>
            t.TokenType == 1 && !string.IsNullOrEmpty(t.SecurityPolicyUri) && t.SecurityPolicyUri != SecurityPolicy.NoneUri));
        if (needsServerCertificate)
        {
            if (endpoint.ServerCertificate is null)
                throw new OpcUaException(url, StatusCodes.BadCertificateInvalid, "expected the endpoint to carry the server certificate but it has none", false);
            var refusal = trust.Check(FirstCertificate(endpoint.ServerCertificate), url, endpoint.Server.ApplicationUri);
            if (refusal is not null) throw new OpcUaException(url, refusal.StatusCode, refusal.Message, isTransient: false);
        }

        var certificate = policy.IsNone ? null : clientCertificate();
        var settings = new ChannelSettings(url, policy, options.SecurityMode, certificate,
            endpoint.ServerCertificate is null ? null : FirstCertificate(endpoint.ServerCertificate),
            (uint)Math.Min(options.SecureChannelLifetime.TotalMilliseconds, uint.MaxValue), options.RequestTimeout);
        var channel = await SecureChannel.OpenAsync(settings, logger, cancellationToken).ConfigureAwait(false);
        try
        {
            var session = new SessionSettings(url, options.ApplicationUri, options.ApplicationName, options.UserName, options.Password,
                options.SessionTimeout, options.RequestTimeout,
                options.UserCertificatePath is null ? null : X509CertificateLoader.LoadPkcs12FromFile(options.UserCertificatePath, null));
            return await UaSession.CreateAsync(channel, session, endpoint, policy, certificate, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await channel.CloseAsync(CancellationToken.None).ConfigureAwait(false);
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A server may send its certificate chain; the leaf comes first (Part 6, 6.2.3).</summary>
    private static byte[] FirstCertificate(byte[] chain)
    {
        if (chain.Length < 4 || chain[0] != 0x30 || chain[1] != 0x82) return chain;
        var length = 4 + (chain[2] << 8 | chain[3]);
        return length >= chain.Length ? chain : chain[..length];
    }
}
