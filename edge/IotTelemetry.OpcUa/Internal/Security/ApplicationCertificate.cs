using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.OpcUa.Internal.Security;

/// <summary>
/// The client's application instance certificate (Part 6, 6.2.2): RSA 2048, SHA-256, self-signed, with the application
/// URI in the SubjectAltName. Kept on disk as a PKCS#12 file (with its private key) and a DER copy to hand to servers.
/// </summary>
internal static class ApplicationCertificate
{
    public static X509Certificate2 LoadOrCreate(string pfxPath, string applicationUri, string applicationName, ILogger logger)
    {
        if (File.Exists(pfxPath))
        {
            var existing = X509CertificateLoader.LoadPkcs12FromFile(pfxPath, null, X509KeyStorageFlags.Exportable);
            if (!existing.HasPrivateKey)
                throw new InvalidOperationException($"Expected a private key in the client certificate file {pfxPath} but it has none");
            return existing;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pfxPath))!);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(
            new X500DistinguishedName($"CN={applicationName}, O=IotTelemetry"), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(applicationUri));
        san.AddDnsName(Environment.MachineName);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyEncipherment
            | X509KeyUsageFlags.DataEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        using var created = request.CreateSelfSigned(notBefore, notBefore.AddYears(5));
        var pfx = created.Export(X509ContentType.Pkcs12);
        var temporary = pfxPath + ".tmp";
        File.WriteAllBytes(temporary, pfx);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite); // holds the private key
        File.Move(temporary, pfxPath, overwrite: true);
        File.WriteAllBytes(Path.ChangeExtension(pfxPath, ".der"), created.RawData);
        LogMessages.ClientCertificateCreated(logger, pfxPath, created.Thumbprint, applicationUri);
        return X509CertificateLoader.LoadPkcs12(pfx, null, X509KeyStorageFlags.Exportable);
    }
}
