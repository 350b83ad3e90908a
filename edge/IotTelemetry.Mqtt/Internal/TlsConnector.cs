using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace IotTelemetry.Mqtt.Internal;

/// <summary>Wraps a connected stream in TLS, verifying the broker against the configured CA file.</summary>
internal static class TlsConnector
{
    public static async Task<SslStream> AuthenticateAsync(Stream inner, MqttClientOptions options, MqttTlsOptions tls, CancellationToken cancellationToken)
    {
        X509Certificate2Collection? trusted = null;
        if (tls.CaFile is not null)
        {
            trusted = new X509Certificate2Collection();
            trusted.ImportFromPemFile(tls.CaFile);
        }
        string? rejection = null;
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var auth = new SslClientAuthenticationOptions
        {
            TargetHost = tls.ServerName ?? options.Host,
            EnabledSslProtocols = SslProtocols.None,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                rejection = Verify(certificate, chain, errors, trusted);
                return rejection is null;
            },
        };
        if (tls.ClientCertificateFile is not null && tls.ClientKeyFile is not null)
        {
            using var pem = X509Certificate2.CreateFromPemFile(tls.ClientCertificateFile, tls.ClientKeyFile);
            // Re-import so the private key is usable by the TLS layer on every platform.
            var client = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            auth.ClientCertificates = [client];
        }
        try
        {
            await ssl.AuthenticateAsClientAsync(auth, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var why = rejection ?? ex.Message;
            throw new MqttConnectException($"TLS handshake with MQTT broker {options.Host}:{options.Port} failed: {why}", null,
                isTransient: rejection is null, ex);
        }
    }

    /// <summary>Null when the certificate is acceptable, otherwise why not.</summary>
    private static string? Verify(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection? trusted)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            return "the broker presented no certificate";
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return "the broker certificate does not match the expected server name (Mqtt:Tls:ServerName or Mqtt:Host)";
        if (trusted is null)
            return errors == SslPolicyErrors.None ? null : $"the broker certificate is not trusted by the system store ({errors})";

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (chain.Build(leaf)) return null;
        var statuses = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()));
        return $"the broker certificate is not signed by a CA in Mqtt:Tls:CaFile (chain status: {statuses})";
    }
}
