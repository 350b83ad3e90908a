using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.OpcUa.Tests;

/// <summary>Security modes and user logins against one shared node-opcua server.</summary>
public sealed class LoginAndSecurityTests(OpcUaServerFixture fixture) : IClassFixture<OpcUaServerFixture>
{
    private OpcUaClientOptions Options(OpcUaSecurityPolicy policy, OpcUaSecurityMode mode, string? user = null, string? password = null)
    {
        var o = ClientFactory.Options(fixture.Server.EndpointUrl, ClientFactory.Node("ns=1;i=1001", "speed"));
        return new OpcUaClientOptions
        {
            EndpointUrl = o.EndpointUrl, Nodes = o.Nodes, ClientCertificatePath = o.ClientCertificatePath, TrustListDirectory = o.TrustListDirectory,
            AutoAcceptServerCertificate = true, SecurityPolicy = policy, SecurityMode = mode, UserName = user, Password = password,
            ApplicationUri = "urn:iottelemetry:test:" + Guid.NewGuid().ToString("N")[..6],
        };
    }

    private static async Task AssertValuesFlowAsync(OpcUaClient client)
    {
        await client.StartAsync(CancellationToken.None);
        var first = await ClientFactory.NextAsync(client, c => c.Value is not null, "a first value");
        var second = await ClientFactory.NextAsync(client, c => c.Value > first.Value, "a larger value");
        Assert.Equal(OpcUaQuality.Good, second.Quality);
        Assert.True(client.IsConnected);
    }

    [Theory]
    [InlineData(OpcUaSecurityPolicy.None, OpcUaSecurityMode.None)]
    [InlineData(OpcUaSecurityPolicy.Basic256Sha256, OpcUaSecurityMode.Sign)]
    [InlineData(OpcUaSecurityPolicy.Basic256Sha256, OpcUaSecurityMode.SignAndEncrypt)]
    [InlineData(OpcUaSecurityPolicy.Aes128Sha256RsaOaep, OpcUaSecurityMode.SignAndEncrypt)]
    [InlineData(OpcUaSecurityPolicy.Aes256Sha256RsaPss, OpcUaSecurityMode.Sign)]
    [InlineData(OpcUaSecurityPolicy.Aes256Sha256RsaPss, OpcUaSecurityMode.SignAndEncrypt)]
    public async Task Values_flow_in_each_security_mode(OpcUaSecurityPolicy policy, OpcUaSecurityMode mode)
    {
        var options = Options(policy, mode);
        await using var client = new OpcUaClient(options);
        await AssertValuesFlowAsync(client);
        if (policy != OpcUaSecurityPolicy.None)
        {
            Assert.True(File.Exists(options.ClientCertificatePath), "the client certificate was created");
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(options.TrustListDirectory, "trusted", "certs")));
        }
    }

    [Theory]
    [InlineData(OpcUaSecurityPolicy.None, OpcUaSecurityMode.None)]
    [InlineData(OpcUaSecurityPolicy.Basic256Sha256, OpcUaSecurityMode.SignAndEncrypt)]
    [InlineData(OpcUaSecurityPolicy.Aes256Sha256RsaPss, OpcUaSecurityMode.SignAndEncrypt)]
    public async Task A_good_password_logs_in(OpcUaSecurityPolicy policy, OpcUaSecurityMode mode)
    {
        var log = new ListLogger();
        await using (var client = new OpcUaClient(Options(policy, mode, OpcUaServerFixture.User, OpcUaServerFixture.Password), log))
            await AssertValuesFlowAsync(client);
        Assert.Contains("connected", log.All);
        Assert.DoesNotContain(OpcUaServerFixture.Password, log.All);
    }

    [Fact]
    public async Task Requests_larger_than_a_chunk_are_split_and_encrypted_chunk_by_chunk()
    {
        // 300 long string NodeIds make a CreateMonitoredItems request of about 100 KB: several 64 KiB chunks.
        var missing = Enumerable.Range(0, 300).Select(i => ClientFactory.Node("ns=1;s=Missing." + new string('x', 300) + i, "m" + i));
        var o = Options(OpcUaSecurityPolicy.Basic256Sha256, OpcUaSecurityMode.SignAndEncrypt);
        var options = new OpcUaClientOptions
        {
            EndpointUrl = o.EndpointUrl, ClientCertificatePath = o.ClientCertificatePath, TrustListDirectory = o.TrustListDirectory,
            AutoAcceptServerCertificate = true, SecurityPolicy = o.SecurityPolicy, SecurityMode = o.SecurityMode, ApplicationUri = o.ApplicationUri,
            Nodes = [.. missing, ClientFactory.Node("ns=1;i=1001", "speed")],
        };
        await using var client = new OpcUaClient(options);
        await client.StartAsync(CancellationToken.None);

        var bad = new HashSet<string>();
        await Wait.ForAsync(Task.Run(async () =>
        {
            var speeds = 0;
            while (bad.Count < 300 || speeds < 2)
            {
                var change = await client.DataChanges.ReadAsync();
                if (change.StatusName == "BadNodeIdUnknown") bad.Add(change.Node.Sensor);
                else if (change.Node.Sensor == "speed" && change.Value is not null) speeds++;
            }
        }), "300 missing-node reports and two speed values");
        Assert.Equal(300, bad.Count);
    }

    [Fact]
    public async Task A_wrong_password_fails_with_the_endpoint_and_status_code_but_not_the_password()
    {
        var log = new ListLogger();
        await using var client = new OpcUaClient(Options(OpcUaSecurityPolicy.None, OpcUaSecurityMode.None, OpcUaServerFixture.User, "wrong-horse"), log);
        var e = await Assert.ThrowsAsync<OpcUaException>(() => client.StartAsync(CancellationToken.None));
        Assert.DoesNotContain("wrong-horse", log.All);

        Assert.False(e.IsTransient);
        Assert.Contains(fixture.Server.EndpointUrl, e.Message);
        Assert.Contains("alice", e.Message);
        Assert.Matches("BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid", e.StatusName);
        Assert.Contains(e.StatusName, e.Message);
        Assert.DoesNotContain("wrong-horse", e.ToString());
    }

    private static string? Thumbprint(string file)
    {
        try
        {
            var text = File.ReadAllText(file);
            return text.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal)
                ? System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(text).Thumbprint
                : System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(file).Thumbprint;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // keys, CRLs, configuration
        }
    }

    [Fact]
    public async Task An_x509_user_certificate_logs_in_and_the_server_records_it_as_a_user_certificate()
    {
        var o = Options(OpcUaSecurityPolicy.Basic256Sha256, OpcUaSecurityMode.SignAndEncrypt);
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=operator-anna, O=IotTelemetry Tests", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509KeyUsageExtension(
            System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.DigitalSignature | System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.NonRepudiation, true));
        using var user = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(o.TrustListDirectory, "user.pfx");
        File.WriteAllBytes(path, user.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12));
        var options = new OpcUaClientOptions
        {
            EndpointUrl = o.EndpointUrl, Nodes = o.Nodes, ClientCertificatePath = o.ClientCertificatePath, TrustListDirectory = o.TrustListDirectory,
            AutoAcceptServerCertificate = true, SecurityPolicy = o.SecurityPolicy, SecurityMode = o.SecurityMode, ApplicationUri = o.ApplicationUri,
            UserCertificatePath = path,
        };
        await using (var client = new OpcUaClient(options))
            await AssertValuesFlowAsync(client);
        // node-opcua's user certificate manager has seen (and, auto-accepting, trusted) this very certificate
        var seen = Directory.EnumerateFiles(Path.Combine(fixture.Server.PkiDirectory, "user"), "*", SearchOption.AllDirectories).Select(Thumbprint).ToList();
        Assert.Contains(user.Thumbprint, seen);
    }

    [Fact]
    public async Task An_unknown_server_certificate_is_refused_without_auto_accept_and_trusted_once_moved_to_the_trust_list()
    {
        var options = Options(OpcUaSecurityPolicy.Basic256Sha256, OpcUaSecurityMode.Sign);
        var strict = new OpcUaClientOptions
        {
            EndpointUrl = options.EndpointUrl, Nodes = options.Nodes, ClientCertificatePath = options.ClientCertificatePath,
            TrustListDirectory = options.TrustListDirectory, SecurityPolicy = options.SecurityPolicy, SecurityMode = options.SecurityMode,
            ApplicationUri = options.ApplicationUri, AutoAcceptServerCertificate = false,
        };
        await using (var refused = new OpcUaClient(strict))
        {
            var e = await Assert.ThrowsAsync<OpcUaException>(() => refused.StartAsync(CancellationToken.None));
            Assert.Equal("BadCertificateUntrusted", e.StatusName);
            Assert.Contains("trust list", e.Message);
        }
        var rejected = Directory.GetFiles(Path.Combine(strict.TrustListDirectory, "rejected", "certs")).Single();
        File.Move(rejected, Path.Combine(strict.TrustListDirectory, "trusted", "certs", Path.GetFileName(rejected)));

        await using var accepted = new OpcUaClient(strict);
        await AssertValuesFlowAsync(accepted);
    }

    [Fact]
    public async Task The_secure_channel_token_is_renewed_before_it_expires_and_data_keeps_flowing()
    {
        var o = Options(OpcUaSecurityPolicy.Basic256Sha256, OpcUaSecurityMode.SignAndEncrypt);
        var options = new OpcUaClientOptions
        {
            EndpointUrl = o.EndpointUrl, Nodes = o.Nodes, ClientCertificatePath = o.ClientCertificatePath, TrustListDirectory = o.TrustListDirectory,
            AutoAcceptServerCertificate = true, SecurityPolicy = o.SecurityPolicy, SecurityMode = o.SecurityMode, ApplicationUri = o.ApplicationUri,
            SecureChannelLifetime = TimeSpan.FromSeconds(2),
        };
        await using var client = new OpcUaClient(options);
        await client.StartAsync(CancellationToken.None);
        var lifetime = client.CurrentChannel!.Token!.RevisedLifetimeMs;
        await Wait.UntilAsync(() => client.Statistics.TokenRenewals >= 2, $"two token renewals (lifetime {lifetime} ms)",
            TimeSpan.FromMilliseconds(lifetime * 3 + 5000));
        var before = client.Statistics.DataChanges;
        await ClientFactory.NextAsync(client, c => c.Value is not null, "a value after renewal");
        await Wait.UntilAsync(() => client.Statistics.DataChanges > before + 2, "values after the renewals");
        Assert.Equal(0, client.Statistics.Reconnects);
        Assert.True(client.IsConnected);
    }
}
