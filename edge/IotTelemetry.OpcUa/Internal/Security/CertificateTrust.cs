using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.OpcUa.Internal.Security;

/// <summary>
/// Decides whether a server certificate is trusted: its thumbprint must match a certificate file (DER or PEM) in the
/// trust-list folder's <c>trusted</c> subfolder. An unknown certificate is copied to <c>rejected</c> so an operator can
/// move it over, or, with auto-accept on, copied to <c>trusted</c> with a warning in the log (first contact).
/// </summary>
internal sealed class CertificateTrust(string folder, bool autoAccept, ILogger logger)
{
    private readonly object _gate = new();

    public string TrustedFolder => Path.Combine(folder, "trusted");
    public string RejectedFolder => Path.Combine(folder, "rejected");

    /// <summary>Returns null when trusted, otherwise the reason it is not.</summary>
    public string? Check(byte[] der, string endpoint)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        var now = DateTime.UtcNow;
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
            return $"the server certificate {certificate.Subject} is valid from {certificate.NotBefore:u} to {certificate.NotAfter:u}, not now";
        var fileName = Sanitize(certificate.Subject) + " [" + certificate.Thumbprint + "].der";
        lock (_gate)
        {
            Directory.CreateDirectory(TrustedFolder);
            if (IsInTrustedFolder(certificate.Thumbprint)) return null;
            if (autoAccept)
            {
                File.WriteAllBytes(Path.Combine(TrustedFolder, fileName), der);
                LogMessages.ServerCertificateAutoAccepted(logger, endpoint, certificate.Subject, certificate.Thumbprint, TrustedFolder);
                return null;
            }
            Directory.CreateDirectory(RejectedFolder);
            File.WriteAllBytes(Path.Combine(RejectedFolder, fileName), der);
        }
        return $"the server certificate {certificate.Subject} (thumbprint {certificate.Thumbprint}) is not in the trust list " +
               $"{TrustedFolder}; it was saved to {RejectedFolder}: move it to the trust list, or enable AutoAcceptServerCertificate";
    }

    private bool IsInTrustedFolder(string thumbprint)
    {
        foreach (var file in Directory.EnumerateFiles(TrustedFolder))
        {
            try
            {
                using var known = file.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".crt", StringComparison.OrdinalIgnoreCase)
                    ? X509Certificate2.CreateFromPem(File.ReadAllText(file))
                    : X509CertificateLoader.LoadCertificateFromFile(file);
                if (string.Equals(known.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase)) return true;
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // not a certificate: ignore
            }
        }
        return false;
    }

    private static string Sanitize(string subject)
    {
        var chars = subject.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (!char.IsLetterOrDigit(chars[i]) && chars[i] != '-' && chars[i] != '.') chars[i] = '_';
        return new string(chars, 0, Math.Min(chars.Length, 60));
    }
}
