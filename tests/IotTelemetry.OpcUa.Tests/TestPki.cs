using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IotTelemetry.OpcUa.Tests;

/// <summary>
/// A test CA made with .NET's CertificateRequest, issuing OPC UA server certificates (PEM certificate and key files
/// node-opcua can load) and CRLs (CertificateRevocationListBuilder), and filling a client trust list in the OPC
/// Foundation layout.
/// </summary>
internal sealed class TestPki : IDisposable
{
    private readonly RSA _caKey = RSA.Create(2048);
    private readonly string _directory = ClientFactory.NewDirectory();

    public TestPki(string name = "IotTelemetry Test CA")
    {
        var request = new CertificateRequest($"CN={name}, O=IotTelemetry Tests", _caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddYears(1));
    }

    public X509Certificate2 Ca { get; }

    /// <summary>A server certificate issued by the CA; its certificate and key PEM files are returned for node-opcua.</summary>
    public (X509Certificate2 Certificate, string CertificateFile, string KeyFile) Issue(string applicationUri, DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null, string[]? ips = null, string[]? dns = null,
        X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=IotTelemetryTestPump, O=IotTelemetry Tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(applicationUri));
        foreach (var ip in ips ?? ["127.0.0.1"]) san.AddIpAddress(IPAddress.Parse(ip));
        foreach (var d in dns ?? ["localhost"]) san.AddDnsName(d);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        var certificate = request.Create(Ca, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddMonths(6), serial);
        var stem = Path.Combine(_directory, Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(stem + ".pem", certificate.ExportCertificatePem());
        File.WriteAllText(stem + ".key.pem", key.ExportRSAPrivateKeyPem());
        return (certificate, stem + ".pem", stem + ".key.pem");
    }

    /// <summary>A CRL signed by the CA listing these certificates (none: an empty, current CRL).</summary>
    public byte[] Crl(params X509Certificate2[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var c in revoked) builder.AddEntry(c, DateTimeOffset.UtcNow.AddMinutes(-5), X509RevocationReason.KeyCompromise);
        return builder.Build(Ca, BigInteger.One, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1,
            DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    /// <summary>Puts the CA into trustList/trusted/certs and, when given, a CRL into trustList/trusted/crl.</summary>
    public void Trust(string trustList, byte[]? crl)
    {
        Directory.CreateDirectory(Path.Combine(trustList, "trusted", "certs"));
        File.WriteAllBytes(Path.Combine(trustList, "trusted", "certs", "test-ca.der"), Ca.RawData);
        if (crl is null) return;
        Directory.CreateDirectory(Path.Combine(trustList, "trusted", "crl"));
        File.WriteAllBytes(Path.Combine(trustList, "trusted", "crl", "test-ca.crl"), crl);
    }

    public void Dispose()
    {
        Ca.Dispose();
        _caKey.Dispose();
    }
}
