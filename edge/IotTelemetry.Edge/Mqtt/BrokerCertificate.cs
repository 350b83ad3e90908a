using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace IotTelemetry.Edge.Mqtt;

/// <summary>
/// MQTTnet's TLS settings from <see cref="MqttTlsOptions"/>: the broker's certificate checked against the CAs of
/// <c>Mqtt:Tls:CaFile</c> (or the system store) and the expected name, the client certificate read from PEM files.
/// Each refusal is reported in words through <c>rejected</c> (TLS itself only says the handshake failed).
/// </summary>
internal static class BrokerCertificate
{
    public static MqttClientTlsOptions TlsOptions(MqttTlsOptions tls, string host, Action<string> rejected)
    {
        X509Certificate2Collection? trusted = null;
        if (tls.CaFile is not null)
        {
            trusted = [];
            trusted.ImportFromPemFile(tls.CaFile);
        }
        X509CertificateCollection clientCertificates = [];
        if (tls.ClientCertificateFile is not null && tls.ClientKeyFile is not null)
        {
            using var pem = X509Certificate2.CreateFromPemFile(tls.ClientCertificateFile, tls.ClientKeyFile);
            // Re-imported so that the TLS layer can use the private key on every platform.
            clientCertificates.Add(X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null));
        }
        return new MqttClientTlsOptions
        {
            UseTls = true,
            TargetHost = string.IsNullOrEmpty(tls.ServerName) ? host : tls.ServerName,
            RevocationMode = X509RevocationMode.NoCheck,
            ClientCertificatesProvider = new Certificates(clientCertificates),
            CertificateValidationHandler = e =>
            {
                var why = Verify(e.Certificate, e.Chain, e.SslPolicyErrors, trusted);
                if (why is not null) rejected(why);
                return why is null;
            },
        };
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

    private sealed class Certificates(X509CertificateCollection certificates) : IMqttClientCertificatesProvider
    {
        public X509CertificateCollection GetCertificates() => certificates;
    }
}
