using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IotTelemetry.OpcUa.Internal.Encoding;
using IotTelemetry.OpcUa.Internal.Security;
using IotTelemetry.OpcUa.Internal.Services;
using Xunit;

namespace IotTelemetry.OpcUa.Tests;

/// <summary>
/// How the user identity token follows the endpoint's UserTokenPolicy. node-opcua 2.186.4 always asks for an encrypted
/// password (its token policies name Basic256Sha256), so the plain-password case is checked here.
/// </summary>
public sealed class IdentityTokenTests
{
    private static EndpointDescription Endpoint(string? tokenPolicyUri, params uint[] tokenTypes) => new(
        "opc.tcp://x:4840", new ApplicationDescription(null, null, LocalizedText.Null, 0, null, null, []), null, 1, SecurityPolicy.NoneUri,
        [.. tokenTypes.Select(t => new UserTokenPolicy("p" + t, t, null, null, tokenPolicyUri))], null, 0);

    private static SessionSettings Settings(string? user, string? password) =>
        new("opc.tcp://x:4840", "urn:t", "t", user, password, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5));

    [Fact]
    public void A_token_policy_of_None_sends_the_password_as_plain_utf8()
    {
        var token = UaSession.BuildIdentity(Settings("bob", "pässword"), Endpoint(SecurityPolicy.NoneUri, 0, 1), null, []);
        var body = Assert.IsType<UserNameIdentityToken>(token.Body);
        Assert.Equal("p1", body.PolicyId);
        Assert.Equal("pässword"u8.ToArray(), body.Password);
        Assert.Null(body.EncryptionAlgorithm);
        Assert.DoesNotContain("pässword", body.ToString());
    }

    [Fact]
    public void A_Basic256Sha256_token_policy_encrypts_length_password_and_server_nonce_with_rsa_oaep()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=server", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var nonce = RandomNumberGenerator.GetBytes(32);

        var token = UaSession.BuildIdentity(Settings("bob", "secret"), Endpoint(SecurityPolicy.Basic256Sha256Uri, 1), certificate.RawData, nonce);
        var body = Assert.IsType<UserNameIdentityToken>(token.Body);
        Assert.Equal("http://www.w3.org/2001/04/xmlenc#rsa-oaep", body.EncryptionAlgorithm);
        var plain = rsa.Decrypt(body.Password, RSAEncryptionPadding.OaepSHA1);
        Assert.Equal(6 + 32, BitConverter.ToInt32(plain, 0));
        Assert.Equal("secret"u8.ToArray(), plain[4..10]);
        Assert.Equal(nonce, plain[10..]);
    }

    [Fact]
    public void An_endpoint_without_anonymous_login_is_refused_with_what_it_offers()
    {
        var e = Assert.Throws<OpcUaException>(() => UaSession.BuildIdentity(Settings(null, null), Endpoint(null, 1, 2), null, []));
        Assert.Equal("BadIdentityTokenRejected", e.StatusName);
        Assert.Contains("user name, certificate", e.Message);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public void A_user_certificate_on_an_endpoint_without_certificate_tokens_is_refused_naming_what_it_offers()
    {
        using var key = RSA.Create(2048);
        using var user = new CertificateRequest("CN=u", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var e = Assert.Throws<OpcUaException>(() => UaSession.BuildX509Identity("opc.tcp://x:4840", user, Endpoint(SecurityPolicy.NoneUri, 0, 1), [1, 2], [3]));
        Assert.Equal("BadIdentityTokenRejected", e.StatusName);
        Assert.Contains("X.509", e.Message);

        var (token, signature) = UaSession.BuildX509Identity("opc.tcp://x:4840", user, Endpoint(SecurityPolicy.Basic256Sha256Uri, 2), [1, 2], [3]);
        Assert.Equal(user.RawData, Assert.IsType<X509IdentityToken>(token.Body).CertificateData);
        Assert.True(key.VerifyData(new byte[] { 1, 2, 3 }, signature.Signature!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }
}
