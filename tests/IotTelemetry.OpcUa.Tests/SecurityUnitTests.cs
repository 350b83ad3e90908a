using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IotTelemetry.OpcUa.Internal.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace IotTelemetry.OpcUa.Tests;

public sealed class SecurityUnitTests
{
    [Fact]
    public void P_SHA256_matches_the_TLS_1_2_test_vector()
    {
        // Test vector for the TLS 1.2 PRF with SHA-256 (secret, "test label" + seed), first 32 of 100 bytes.
        var secret = Convert.FromHexString("9bbe436ba940f017b17652849a71db35");
        var seed = System.Text.Encoding.ASCII.GetBytes("test label").Concat(Convert.FromHexString("a0ba9f936cda311827a6f796ffd5198c")).ToArray();
        var output = PSha256.Derive(secret, seed, 100);
        Assert.Equal("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a", Convert.ToHexString(output[..32]).ToLowerInvariant());
        Assert.Equal(100, output.Length);
    }

    [Fact]
    public void Basic256Sha256_derives_32_byte_keys_and_a_16_byte_iv()
    {
        var keys = SecurityPolicy.Basic256Sha256.DeriveKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        Assert.Equal(32, keys.SigningKey.Length);
        Assert.Equal(32, keys.EncryptingKey.Length);
        Assert.Equal(16, keys.InitializationVector.Length);
        Assert.DoesNotContain("Key", keys.ToString().Replace("ChannelKeys", ""));
    }

    [Fact]
    public void Client_certificate_is_created_once_with_the_application_uri_and_kept_on_disk()
    {
        var dir = ClientFactory.NewDirectory();
        var path = Path.Combine(dir, "own", "client.pfx");
        using var created = ApplicationCertificate.LoadOrCreate(path, "urn:test:client", "Test Client", NullLogger.Instance);
        using var loaded = ApplicationCertificate.LoadOrCreate(path, "urn:test:client", "Test Client", NullLogger.Instance);

        Assert.True(File.Exists(path));
        Assert.True(File.Exists(Path.ChangeExtension(path, ".der")));
        Assert.Equal(created.Thumbprint, loaded.Thumbprint);
        Assert.True(loaded.HasPrivateKey);
        var san = loaded.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("URI:urn:test:client", san.Format(false).Replace("URL=", "URI:").Replace("URI=", "URI:"));
        Assert.Equal(2048, loaded.GetRSAPublicKey()!.KeySize);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Asymmetric_encryption_round_trips_over_several_blocks()
    {
        using var rsa = RSA.Create(2048);
        var data = RandomNumberGenerator.GetBytes(700); // three OAEP blocks of 214 bytes and a bit
        var cipher = SecurityPolicy.Basic256Sha256.AsymmetricEncrypt(rsa, data);
        Assert.Equal(4 * 256, cipher.Length);
        Assert.Equal(data, SecurityPolicy.Basic256Sha256.AsymmetricDecrypt(rsa, cipher));
    }
}
