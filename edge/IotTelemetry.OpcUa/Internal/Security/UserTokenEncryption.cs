using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IotTelemetry.OpcUa.Internal.Security;

/// <summary>
/// Encrypts a password for a UserNameIdentityToken (Part 4, 7.36.2.2): UInt32 length of (password + server nonce),
/// the UTF-8 password, the server nonce of the session, encrypted with the server certificate's public key using the
/// asymmetric encryption of the token's security policy.
/// </summary>
internal static class UserTokenEncryption
{
    /// <summary>Returns the encrypted password and the algorithm URI, or null when the policy URI is unknown.</summary>
    public static (byte[] Secret, string Algorithm)? Encrypt(string policyUri, string password, byte[] serverNonce, byte[] serverCertificate)
    {
        var (padding, overhead, algorithm) = policyUri switch
        {
            SecurityPolicy.Basic256Sha256Uri or SecurityPolicy.Aes128Sha256RsaOaepUri or "http://opcfoundation.org/UA/SecurityPolicy#Basic256"
                => (RSAEncryptionPadding.OaepSHA1, 42, "http://www.w3.org/2001/04/xmlenc#rsa-oaep"),
            SecurityPolicy.Aes256Sha256RsaPssUri => (RSAEncryptionPadding.OaepSHA256, 66, "http://opcfoundation.org/UA/security/rsa-oaep-sha2-256"),
            _ => (null!, 0, ""),
        };
        if (padding is null) return null;
        var secret = System.Text.Encoding.UTF8.GetBytes(password);
        var plain = new byte[4 + secret.Length + serverNonce.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(plain, (uint)(secret.Length + serverNonce.Length));
        secret.CopyTo(plain, 4);
        serverNonce.CopyTo(plain, 4 + secret.Length);
        CryptographicOperations.ZeroMemory(secret);
        using var certificate = X509CertificateLoader.LoadCertificate(serverCertificate);
        using var rsa = certificate.GetRSAPublicKey() ?? throw new CryptographicException("Expected an RSA key in the server certificate");
        var cipherBlock = rsa.KeySize / 8;
        var plainBlock = cipherBlock - overhead;
        using var output = new MemoryStream();
        for (var i = 0; i < plain.Length; i += plainBlock)
            output.Write(rsa.Encrypt(plain.AsSpan(i, Math.Min(plainBlock, plain.Length - i)).ToArray(), padding));
        CryptographicOperations.ZeroMemory(plain);
        return (output.ToArray(), algorithm);
    }
}
