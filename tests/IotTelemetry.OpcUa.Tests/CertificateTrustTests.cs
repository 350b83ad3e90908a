using System.Security.Cryptography.X509Certificates;
using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.OpcUa.Tests;

/// <summary>
/// Server certificate validation (Part 4, 6.1.3) against node-opcua servers that present certificates issued by a test
/// CA: a good one, an expired one, a revoked one, one with the wrong application URI, one for another host, one
/// without keyEncipherment, and one from a CA the client does not trust. Auto-accept is off throughout.
/// </summary>
public sealed class CertificateTrustTests
{
    private const string ServerUri = "urn:iottelemetry:test:pump-server";

    private static async Task<OpcUaTestServer> StartServerAsync((X509Certificate2 Certificate, string CertificateFile, string KeyFile) issued,
        string applicationUri = ServerUri) =>
        await OpcUaTestServer.StartAsync("--interval", "100",
            "--certificate", issued.CertificateFile, "--private-key", issued.KeyFile, "--application-uri", applicationUri);

    /// <summary>Options with the test CA and its current (empty) CRL in the client's trust list.</summary>
    private static OpcUaClientOptions Strict(OpcUaTestServer server, TestPki pki)
    {
        var options = Strict(server);
        pki.Trust(options.TrustListDirectory, pki.Crl());
        return options;
    }

    private static OpcUaClientOptions Strict(OpcUaTestServer server)
    {
        var o = ClientFactory.Options(server.EndpointUrl, ClientFactory.Node("ns=1;i=1001", "speed"));
        var options = new OpcUaClientOptions
        {
            EndpointUrl = o.EndpointUrl, Nodes = o.Nodes, ClientCertificatePath = o.ClientCertificatePath, TrustListDirectory = o.TrustListDirectory,
            AutoAcceptServerCertificate = false, SecurityPolicy = OpcUaSecurityPolicy.Basic256Sha256, SecurityMode = OpcUaSecurityMode.SignAndEncrypt,
            ApplicationUri = "urn:iottelemetry:test:" + Guid.NewGuid().ToString("N")[..6], RequestTimeout = o.RequestTimeout,
        };
        return options;
    }

    private static async Task AssertConnectsAsync(OpcUaClientOptions options)
    {
        await using var client = new OpcUaClient(options);
        await client.StartAsync(CancellationToken.None);
        var change = await ClientFactory.NextAsync(client, c => c.Value is not null, "a first value over the validated channel");
        Assert.Equal(OpcUaQuality.Good, change.Quality);
        Assert.True(client.IsConnected);
    }

    private static async Task<OpcUaException> AssertRefusedAsync(OpcUaClientOptions options, string status)
    {
        await using var client = new OpcUaClient(options);
        var e = await Assert.ThrowsAsync<OpcUaException>(() => client.StartAsync(CancellationToken.None));
        Assert.True(e.StatusName == status, $"expected {status} but got {e.StatusName}: {e.Message}");
        Assert.False(client.IsConnected);
        return e;
    }

    [Fact]
    public async Task A_certificate_from_a_trusted_CA_with_a_current_CRL_is_accepted_without_auto_accept()
    {
        using var pki = new TestPki();
        var issued = pki.Issue(ServerUri);
        await using var server = await StartServerAsync(issued);
        var options = Strict(server, pki);
        await AssertConnectsAsync(options);
        Assert.False(Directory.Exists(Path.Combine(options.TrustListDirectory, "rejected", "certs"))
                     && Directory.GetFiles(Path.Combine(options.TrustListDirectory, "rejected", "certs")).Length > 0);
    }

    [Fact]
    public async Task A_CA_found_only_among_issuers_is_not_trusted_and_the_certificate_goes_to_rejected()
    {
        using var pki = new TestPki();
        var issued = pki.Issue(ServerUri);
        await using var server = await StartServerAsync(issued);
        var options = Strict(server);
        Directory.CreateDirectory(Path.Combine(options.TrustListDirectory, "issuers", "certs"));
        File.WriteAllBytes(Path.Combine(options.TrustListDirectory, "issuers", "certs", "ca.der"), pki.Ca.RawData);
        var e = await AssertRefusedAsync(options, "BadCertificateUntrusted");
        Assert.Contains("does not chain to the trust list", e.Message);
        var rejected = Directory.GetFiles(Path.Combine(options.TrustListDirectory, "rejected", "certs")).Single();
        Assert.Equal(issued.Certificate.Thumbprint, X509CertificateLoader.LoadCertificateFromFile(rejected).Thumbprint);

        // trusting the server certificate itself, with its CA among the issuers, is enough (CRL still required)
        File.Move(rejected, Path.Combine(options.TrustListDirectory, "trusted", "certs", Path.GetFileName(rejected)));
        Directory.CreateDirectory(Path.Combine(options.TrustListDirectory, "issuers", "crl"));
        File.WriteAllBytes(Path.Combine(options.TrustListDirectory, "issuers", "crl", "ca.crl"), pki.Crl());
        await AssertConnectsAsync(options);
    }

    /// <summary>A server presenting the certificate is refused with that status and a message naming each of mentions; with the check's opt-out it is accepted.</summary>
    private static async Task AssertCheckAsync(TestPki pki, (X509Certificate2 Certificate, string CertificateFile, string KeyFile) issued,
        string status, string[] mentions, Func<OpcUaClientOptions, OpcUaClientOptions>? optOut)
    {
        await using var server = await StartServerAsync(issued);
        var options = Strict(server, pki);
        var e = await AssertRefusedAsync(options, status);
        foreach (var m in mentions) Assert.Contains(m, e.Message);
        if (optOut is not null) await AssertConnectsAsync(optOut(options));
    }

    [Fact]
    public async Task An_expired_certificate_is_refused_as_time_invalid_unless_the_validity_check_is_off()
    {
        using var pki = new TestPki();
        await AssertCheckAsync(pki, pki.Issue(ServerUri, DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(-1)),
            "BadCertificateTimeInvalid", ["not now", "CheckServerCertificateValidity"], o => Copy(o, checkValidity: false));
    }

    [Fact]
    public async Task A_certificate_on_the_CAs_CRL_is_refused_as_revoked_and_one_without_any_CRL_as_revocation_unknown()
    {
        using var pki = new TestPki();
        var issued = pki.Issue(ServerUri);
        await using var server = await StartServerAsync(issued);
        var options = Strict(server);
        pki.Trust(options.TrustListDirectory, null);
        var unknown = await AssertRefusedAsync(options, "BadCertificateRevocationUnknown");
        Assert.Contains("no CRL from", unknown.Message);

        pki.Trust(options.TrustListDirectory, pki.Crl(issued.Certificate));
        var revoked = await AssertRefusedAsync(options, "BadCertificateRevoked");
        Assert.Contains(issued.Certificate.SerialNumber, revoked.Message);
        Assert.Contains("CheckServerCertificateRevocation", revoked.Message);
        await AssertConnectsAsync(Copy(options, checkRevocation: false));
    }

    [Fact]
    public async Task A_certificate_whose_application_URI_differs_from_the_endpoint_description_is_refused()
    {
        using var pki = new TestPki();
        await AssertCheckAsync(pki, pki.Issue("urn:iottelemetry:test:someone-else"), "BadCertificateUriInvalid",
            ["urn:iottelemetry:test:someone-else", ServerUri, "CheckServerApplicationUri"], o => Copy(o, checkUri: false));
    }

    [Fact]
    public async Task A_certificate_for_another_host_is_refused_as_host_name_invalid()
    {
        using var pki = new TestPki();
        await AssertCheckAsync(pki, pki.Issue(ServerUri, ips: ["10.1.2.3"], dns: ["pump-opc.plant.example"]), "BadCertificateHostNameInvalid",
            ["127.0.0.1", "pump-opc.plant.example", "CheckServerHostName"], o => Copy(o, checkHost: false));
    }

    [Fact]
    public async Task A_certificate_without_key_encipherment_is_refused_as_use_not_allowed()
    {
        using var pki = new TestPki();
        await AssertCheckAsync(pki, pki.Issue(ServerUri, usage: X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation),
            "BadCertificateUseNotAllowed", ["KeyEncipherment", "CheckServerCertificateKeyUsage"], o => Copy(o, checkKeyUsage: false));
    }

    private static OpcUaClientOptions Copy(OpcUaClientOptions o, bool checkValidity = true, bool checkRevocation = true, bool checkUri = true,
        bool checkHost = true, bool checkKeyUsage = true) => new()
    {
        EndpointUrl = o.EndpointUrl, Nodes = o.Nodes, ClientCertificatePath = o.ClientCertificatePath, TrustListDirectory = o.TrustListDirectory,
        AutoAcceptServerCertificate = o.AutoAcceptServerCertificate, SecurityPolicy = o.SecurityPolicy, SecurityMode = o.SecurityMode,
        ApplicationUri = o.ApplicationUri, RequestTimeout = o.RequestTimeout,
        CheckServerCertificateValidity = checkValidity, CheckServerCertificateRevocation = checkRevocation,
        CheckServerApplicationUri = checkUri, CheckServerHostName = checkHost, CheckServerCertificateKeyUsage = checkKeyUsage,
    };
}
