using System.Formats.Asn1;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IotTelemetry.OpcUa.Internal.Encoding;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.OpcUa.Internal.Security;

/// <summary>Which of the Part 4, 6.1.3 checks run; each can be turned off on its own.</summary>
internal sealed record CertificateChecks(bool Validity, bool Revocation, bool KeyUsage, bool ApplicationUri, bool HostName)
{
    public static CertificateChecks From(OpcUaClientOptions o) => new(o.CheckServerCertificateValidity, o.CheckServerCertificateRevocation,
        o.CheckServerCertificateKeyUsage, o.CheckServerApplicationUri, o.CheckServerHostName);
}

/// <summary>Why a server certificate is refused: the Part 4 status code and a sentence naming the check that failed.</summary>
internal sealed record CertificateRefusal(uint StatusCode, string Message);

/// <summary>
/// Validates a server certificate as OPC UA Part 4, 6.1.3 orders it, against a trust list in the OPC Foundation stack's
/// layout: <c>trusted/certs</c> (trusted CAs and trusted self-signed or leaf certificates), <c>trusted/crl</c>,
/// <c>issuers/certs</c> (CAs needed to build chains but not trusted by themselves), <c>issuers/crl</c> and
/// <c>rejected/certs</c> (refused certificates, for an operator to move). The chain is built with <see cref="X509Chain"/>
/// on a custom root trust made only from <c>trusted/certs</c> (never the system store); validity, host name,
/// application URI, key usage and revocation (CRLs from the two <c>crl</c> folders) are then checked in that order.
/// With auto-accept on, a certificate that does not chain to the trust list is copied to <c>trusted/certs</c> with a
/// warning in the log (first contact), and the other checks still run.
/// </summary>
internal sealed class CertificateTrust(string folder, bool autoAccept, CertificateChecks checks, ILogger logger)
{
    private readonly object _gate = new();

    public string TrustedFolder => Path.Combine(folder, "trusted", "certs");
    public string TrustedCrlFolder => Path.Combine(folder, "trusted", "crl");
    public string IssuersFolder => Path.Combine(folder, "issuers", "certs");
    public string IssuersCrlFolder => Path.Combine(folder, "issuers", "crl");
    public string RejectedFolder => Path.Combine(folder, "rejected", "certs");

    /// <summary>Returns null when the certificate passes every enabled check, otherwise the first failure.</summary>
    /// <param name="endpointUrl">The URL the client connects to; its host must be among the certificate's SAN names.</param>
    /// <param name="serverApplicationUri">The ApplicationUri of the endpoint description's server; the certificate's SAN URI must equal it.</param>
    public CertificateRefusal? Check(byte[] der, string endpointUrl, string? serverApplicationUri)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            return new(StatusCodes.BadCertificateInvalid, $"the server certificate is not a valid X.509 certificate: {e.Message}");
        }
        using (certificate)
        {
            lock (_gate)
            {
                foreach (var f in (string[])[TrustedFolder, TrustedCrlFolder, IssuersFolder, IssuersCrlFolder]) Directory.CreateDirectory(f);
                var trusted = LoadCertificates(TrustedFolder);
                var issuers = LoadCertificates(IssuersFolder);
                try
                {
                    return Validate(certificate, der, trusted, issuers, endpointUrl, serverApplicationUri);
                }
                finally
                {
                    foreach (var c in trusted.Concat(issuers)) c.Dispose();
                }
            }
        }
    }

    private CertificateRefusal? Validate(X509Certificate2 certificate, byte[] der, List<X509Certificate2> trusted, List<X509Certificate2> issuers,
        string endpointUrl, string? serverApplicationUri)
    {
        var name = $"the server certificate {certificate.Subject} (thumbprint {certificate.Thumbprint})";
        using var chain = BuildChain(certificate, trusted, issuers, out var problems);
        var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
        var trustedDirectly = trusted.Any(t => t.Thumbprint == certificate.Thumbprint);
        var anchored = problems == X509ChainStatusFlags.NoError && trusted.Any(t => t.Thumbprint == elements[^1].Thumbprint);
        if ((problems & X509ChainStatusFlags.NotSignatureValid) != 0)
            return new(StatusCodes.BadCertificateInvalid, $"{name} has a signature that does not verify against its issuer {elements.ElementAtOrDefault(1)?.Subject}");
        if (!anchored && !(trustedDirectly && (problems & ~X509ChainStatusFlags.UntrustedRoot & ~X509ChainStatusFlags.PartialChain) == 0))
        {
            if (!autoAccept)
            {
                Directory.CreateDirectory(RejectedFolder);
                File.WriteAllBytes(Path.Combine(RejectedFolder, FileName(certificate)), der);
                return new(StatusCodes.BadCertificateUntrusted,
                    $"{name} issued by {certificate.Issuer} does not chain to the trust list {TrustedFolder} ({Describe(chain)}); it was saved to " +
                    $"{RejectedFolder}: move it (or its CA) to {TrustedFolder}, put intermediate CAs in {IssuersFolder}, or enable AutoAcceptServerCertificate");
            }
            File.WriteAllBytes(Path.Combine(TrustedFolder, FileName(certificate)), der);
            LogMessages.ServerCertificateAutoAccepted(logger, endpointUrl, certificate.Subject, certificate.Thumbprint, TrustedFolder);
        }

        if (checks.Validity)
        {
            var now = DateTime.UtcNow;
            for (var i = 0; i < elements.Count; i++)
            {
                var c = elements[i];
                if (now >= c.NotBefore.ToUniversalTime() && now <= c.NotAfter.ToUniversalTime()) continue;
                return i == 0
                    ? new(StatusCodes.BadCertificateTimeInvalid, $"{name} is valid from {c.NotBefore.ToUniversalTime():u} to {c.NotAfter.ToUniversalTime():u}, not now (CheckServerCertificateValidity)")
                    : new(StatusCodes.BadCertificateIssuerTimeInvalid, $"the issuer {c.Subject} of {name} is valid from {c.NotBefore.ToUniversalTime():u} to {c.NotAfter.ToUniversalTime():u}, not now (CheckServerCertificateValidity)");
            }
        }

        var names = SubjectAltNames.Read(certificate);
        if (checks.HostName && Uri.TryCreate(endpointUrl, UriKind.Absolute, out var url) && !names.Covers(url.Host))
            return new(StatusCodes.BadCertificateHostNameInvalid,
                $"{name} does not name the endpoint host {url.Host}: its subject alternative names are DNS [{string.Join(", ", names.Dns)}], " +
                $"IP [{string.Join(", ", names.Ips)}] (CheckServerHostName)");

        if (checks.ApplicationUri && !string.IsNullOrEmpty(serverApplicationUri) && !names.Uris.Contains(serverApplicationUri, StringComparer.Ordinal))
            return new(StatusCodes.BadCertificateUriInvalid,
                $"{name} carries the application URI [{string.Join(", ", names.Uris)}] but the endpoint description says the server is " +
                $"{serverApplicationUri} (CheckServerApplicationUri)");

        if (checks.KeyUsage && KeyUsageProblem(elements) is { } usage) return usage with { Message = $"{name}: {usage.Message} (CheckServerCertificateKeyUsage)" };

        if (checks.Revocation && RevocationProblem(elements) is { } revocation)
            return revocation with { Message = $"{name}: {revocation.Message} (CheckServerCertificateRevocation)" };
        return null;
    }

    private static X509Chain BuildChain(X509Certificate2 certificate, List<X509Certificate2> trusted, List<X509Certificate2> issuers,
        out X509ChainStatusFlags problems)
    {
        var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        // validity and usage are checked below, each with its own message and setting
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreNotTimeNested
                                   | X509VerificationFlags.IgnoreWrongUsage | X509VerificationFlags.IgnoreInvalidBasicConstraints;
        foreach (var t in trusted)
        {
            if (t.SubjectName.RawData.AsSpan().SequenceEqual(t.IssuerName.RawData)) policy.CustomTrustStore.Add(t);
            else policy.ExtraStore.Add(t);
        }
        foreach (var i in issuers) policy.ExtraStore.Add(i);
        chain.Build(certificate);
        problems = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status)
                   & ~(X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested | X509ChainStatusFlags.RevocationStatusUnknown
                       | X509ChainStatusFlags.OfflineRevocation | X509ChainStatusFlags.NotValidForUsage | X509ChainStatusFlags.InvalidBasicConstraints);
        return chain;
    }

    private static string Describe(X509Chain chain)
    {
        var statuses = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct().ToList();
        return statuses.Count == 0 ? "no trusted root" : string.Join("; ", statuses);
    }

    /// <summary>Part 6, 6.2.2: an application instance certificate is for digitalSignature and keyEncipherment; a CA signs certificates.</summary>
    private static CertificateRefusal? KeyUsageProblem(List<X509Certificate2> elements)
    {
        const X509KeyUsageFlags needed = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment;
        var leaf = elements[0].Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (leaf is null || (leaf.KeyUsages & needed) != needed)
            return new(StatusCodes.BadCertificateUseNotAllowed,
                $"its key usage is {(leaf is null ? "absent" : leaf.KeyUsages.ToString())}, expected at least {needed} for an application instance certificate");
        foreach (var issuer in elements.Skip(1))
        {
            var usage = issuer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
            var basic = issuer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
            if (basic is not { CertificateAuthority: true } || (usage is not null && (usage.KeyUsages & X509KeyUsageFlags.KeyCertSign) == 0))
                return new(StatusCodes.BadCertificateIssuerUseNotAllowed,
                    $"its issuer {issuer.Subject} is not a CA (basic constraints CA and key usage KeyCertSign expected)");
        }
        return null;
    }

    /// <summary>Each certificate below the chain's top must have a CRL from its issuer in trusted/crl or issuers/crl, and not be on it.</summary>
    private CertificateRefusal? RevocationProblem(List<X509Certificate2> elements)
    {
        var crls = LoadCrls(TrustedCrlFolder).Concat(LoadCrls(IssuersCrlFolder)).ToList();
        for (var i = 0; i + 1 < elements.Count; i++)
        {
            var (subject, issuer) = (elements[i], elements[i + 1]);
            var lists = crls.Where(c => c.IssuedBy(issuer)).ToList();
            var what = i == 0 ? "it" : $"its issuer {subject.Subject}";
            if (lists.Count == 0)
                return new(i == 0 ? StatusCodes.BadCertificateRevocationUnknown : StatusCodes.BadCertificateIssuerRevocationUnknown,
                    $"no CRL from {issuer.Subject} in {TrustedCrlFolder} or {IssuersCrlFolder}, so whether {what} is revoked is unknown");
            var serial = new BigInteger(subject.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true);
            if (lists.FirstOrDefault(l => l.Revoked.Contains(serial)) is { } list)
                return new(i == 0 ? StatusCodes.BadCertificateRevoked : StatusCodes.BadCertificateIssuerRevoked,
                    $"{what} (serial {subject.SerialNumber}) is revoked by {issuer.Subject}'s CRL of {list.ThisUpdate:u}");
        }
        return null;
    }

    private static List<X509Certificate2> LoadCertificates(string directory)
    {
        var result = new List<X509Certificate2>();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            try
            {
                if (file.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || File.ReadAllText(file).Contains("-----BEGIN CERTIFICATE", StringComparison.Ordinal))
                {
                    var pem = new X509Certificate2Collection();
                    pem.ImportFromPemFile(file);
                    result.AddRange(pem);
                }
                else result.Add(X509CertificateLoader.LoadCertificateFromFile(file));
            }
            catch (CryptographicException)
            {
                // not a certificate: ignore
            }
        }
        return result;
    }

    private static IEnumerable<RevocationList> LoadCrls(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
            if (RevocationList.TryLoad(file) is { } crl) yield return crl;
    }

    private static string FileName(X509Certificate2 certificate)
    {
        var chars = certificate.Subject.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (!char.IsLetterOrDigit(chars[i]) && chars[i] != '-' && chars[i] != '.') chars[i] = '_';
        return new string(chars, 0, Math.Min(chars.Length, 60)) + " [" + certificate.Thumbprint + "].der";
    }
}

/// <summary>The DNS names, IP addresses and URIs of a certificate's subjectAltName extension (RFC 5280, 4.2.1.6).</summary>
internal sealed record SubjectAltNames(IReadOnlyList<string> Dns, IReadOnlyList<IPAddress> Ips, IReadOnlyList<string> Uris)
{
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    public static SubjectAltNames Read(X509Certificate2 certificate)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null) return new([], [], []);
        var uris = new List<string>();
        try
        {
            var names = new AsnReader(san.RawData, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData)
            {
                if (names.PeekTag().HasSameClassAndValue(UriTag)) uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag));
                else names.ReadEncodedValue();
            }
        }
        catch (AsnContentException)
        {
            // a malformed extension names nothing
        }
        return new(san.EnumerateDnsNames().ToList(), san.EnumerateIPAddresses().ToList(), uris);
    }

    public bool Covers(string host)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip)) return Ips.Contains(ip);
        return Dns.Any(d => string.Equals(d, host, StringComparison.OrdinalIgnoreCase)
                            || (d.StartsWith("*.", StringComparison.Ordinal) && host.IndexOf('.') is var dot and > 0
                                && string.Equals(d[2..], host[(dot + 1)..], StringComparison.OrdinalIgnoreCase)));
    }
}

/// <summary>A certificate revocation list (RFC 5280, 5.1), DER or PEM, parsed with System.Formats.Asn1.</summary>
internal sealed class RevocationList
{
    private readonly byte[] _tbs;
    private readonly string _algorithm;
    private readonly byte[] _signature;
    private readonly byte[] _issuer;

    private RevocationList(byte[] tbs, string algorithm, byte[] signature, byte[] issuer, DateTimeOffset thisUpdate, HashSet<BigInteger> revoked)
    {
        (_tbs, _algorithm, _signature, _issuer, ThisUpdate, Revoked) = (tbs, algorithm, signature, issuer, thisUpdate, revoked);
    }

    public DateTimeOffset ThisUpdate { get; }
    public HashSet<BigInteger> Revoked { get; }

    public static RevocationList? TryLoad(string file)
    {
        try
        {
            var bytes = File.ReadAllBytes(file);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            if (PemEncoding.TryFind(text, out var pem) && text[pem.Label] == "X509 CRL") bytes = Convert.FromBase64String(text[pem.Base64Data]);
            return Parse(bytes);
        }
        catch (Exception e) when (e is AsnContentException or FormatException or IOException or CryptographicException)
        {
            return null;
        }
    }

    private static RevocationList Parse(byte[] der)
    {
        var list = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbsBytes = list.PeekEncodedValue().ToArray();
        var tbs = list.ReadSequence();
        var algorithm = list.ReadSequence().ReadObjectIdentifier();
        var signature = list.ReadBitString(out _);
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer)) tbs.ReadInteger();
        tbs.ReadSequence();
        var issuer = tbs.ReadEncodedValue().ToArray();
        var thisUpdate = ReadTime(tbs);
        if (tbs.HasData && (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || tbs.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime))) ReadTime(tbs);
        var revoked = new HashSet<BigInteger>();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var entries = tbs.ReadSequence();
            while (entries.HasData)
            {
                var entry = entries.ReadSequence();
                revoked.Add(new BigInteger(entry.ReadIntegerBytes().Span, isUnsigned: true, isBigEndian: true));
            }
        }
        return new RevocationList(tbsBytes, algorithm, signature, issuer, thisUpdate, revoked);
    }

    private static DateTimeOffset ReadTime(AsnReader r) =>
        r.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? r.ReadUtcTime() : r.ReadGeneralizedTime();

    /// <summary>Issued by that CA: same issuer name and a signature its key verifies.</summary>
    public bool IssuedBy(X509Certificate2 issuer)
    {
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(_issuer)) return false;
        var hash = _algorithm switch
        {
            "1.2.840.113549.1.1.5" or "1.2.840.10045.4.1" => HashAlgorithmName.SHA1,
            "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
            "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };
        using var rsa = issuer.GetRSAPublicKey();
        if (rsa is not null) return rsa.VerifyData(_tbs, _signature, hash, RSASignaturePadding.Pkcs1);
        using var ecdsa = issuer.GetECDsaPublicKey();
        return ecdsa is not null && ecdsa.VerifyData(_tbs, _signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }
}
