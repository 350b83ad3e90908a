using System.Security.Cryptography;

namespace IotTelemetry.OpcUa.Internal.Security;

/// <summary>
/// The algorithms of one OPC UA security policy (Part 7 profiles, Part 6, 6.7): asymmetric encryption and signature
/// for OpenSecureChannel and user tokens, P_SHA256 key derivation, AES-CBC + HMAC-SHA256 for everything after.
/// Basic256Sha256: RSA-OAEP (SHA-1), RSA PKCS#1 v1.5 SHA-256, AES-256; Aes128_Sha256_RsaOaep: the same with AES-128;
/// Aes256_Sha256_RsaPss: RSA-OAEP (SHA-256), RSA-PSS SHA-256, AES-256.
/// </summary>
internal sealed class SecurityPolicy
{
    public const string NoneUri = "http://opcfoundation.org/UA/SecurityPolicy#None";
    public const string Basic256Sha256Uri = "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256";
    public const string Aes128Sha256RsaOaepUri = "http://opcfoundation.org/UA/SecurityPolicy#Aes128_Sha256_RsaOaep";
    public const string Aes256Sha256RsaPssUri = "http://opcfoundation.org/UA/SecurityPolicy#Aes256_Sha256_RsaPss";

    public static readonly SecurityPolicy None = new(NoneUri, 0, 0, null, null, null, 0, RSASignaturePadding.Pkcs1);

    /// <summary>RSA-OAEP (SHA-1) encryption, RSA PKCS#1 v1.5 SHA-256 signatures, AES-256-CBC, HMAC-SHA256, 32-byte nonces.</summary>
    public static readonly SecurityPolicy Basic256Sha256 = new(Basic256Sha256Uri, 32, 32, RSAEncryptionPadding.OaepSHA1,
        "http://www.w3.org/2001/04/xmlenc#rsa-oaep", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", 42, RSASignaturePadding.Pkcs1);

    /// <summary>As Basic256Sha256 but with AES-128-CBC (16-byte encrypting key).</summary>
    public static readonly SecurityPolicy Aes128Sha256RsaOaep = new(Aes128Sha256RsaOaepUri, 32, 16, RSAEncryptionPadding.OaepSHA1,
        "http://www.w3.org/2001/04/xmlenc#rsa-oaep", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", 42, RSASignaturePadding.Pkcs1);

    /// <summary>RSA-OAEP with SHA-256, RSA-PSS SHA-256 signatures, AES-256-CBC, HMAC-SHA256.</summary>
    public static readonly SecurityPolicy Aes256Sha256RsaPss = new(Aes256Sha256RsaPssUri, 32, 32, RSAEncryptionPadding.OaepSHA256,
        "http://opcfoundation.org/UA/security/rsa-oaep-sha2-256", "http://opcfoundation.org/UA/security/rsa-pss-sha2-256", 66,
        RSASignaturePadding.Pss);

    private SecurityPolicy(string uri, int signingKeyLength, int encryptingKeyLength, RSAEncryptionPadding? asymmetricPadding,
        string? asymmetricEncryptionUri, string? asymmetricSignatureUri, int oaepOverhead, RSASignaturePadding signaturePadding)
    {
        SignaturePadding = signaturePadding;
        Uri = uri;
        SigningKeyLength = signingKeyLength;
        EncryptingKeyLength = encryptingKeyLength;
        AsymmetricPadding = asymmetricPadding;
        AsymmetricEncryptionUri = asymmetricEncryptionUri;
        AsymmetricSignatureUri = asymmetricSignatureUri;
        OaepOverhead = oaepOverhead;
    }

    public string Uri { get; }
    public bool IsNone => AsymmetricPadding is null;
    public int SigningKeyLength { get; }
    public int EncryptingKeyLength { get; }
    public int SymmetricBlockSize => 16;
    public int SymmetricSignatureLength => IsNone ? 0 : 32;
    public int NonceLength => IsNone ? 0 : 32;
    public RSAEncryptionPadding? AsymmetricPadding { get; }
    public RSASignaturePadding SignaturePadding { get; }
    public string? AsymmetricEncryptionUri { get; }
    public string? AsymmetricSignatureUri { get; }

    /// <summary>Bytes of an RSA block that OAEP padding takes (2 * hash length + 2).</summary>
    public int OaepOverhead { get; }

    public static SecurityPolicy? FromUri(string? uri) => uri switch
    {
        NoneUri => None,
        Basic256Sha256Uri => Basic256Sha256,
        Aes128Sha256RsaOaepUri => Aes128Sha256RsaOaep,
        Aes256Sha256RsaPssUri => Aes256Sha256RsaPss,
        _ => null,
    };

    public byte[] AsymmetricSign(RSA key, ReadOnlySpan<byte> data) =>
        key.SignData(data.ToArray(), HashAlgorithmName.SHA256, SignaturePadding);

    public bool AsymmetricVerify(RSA key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        key.VerifyData(data, signature, HashAlgorithmName.SHA256, SignaturePadding);

    public byte[] SymmetricSign(byte[] key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);

    /// <summary>Derives signing key, encrypting key and IV in that order from P_SHA256(secret, seed) (Part 6, 6.7.5).</summary>
    public ChannelKeys DeriveKeys(byte[] secret, byte[] seed)
    {
        var material = PSha256.Derive(secret, seed, SigningKeyLength + EncryptingKeyLength + SymmetricBlockSize);
        return new ChannelKeys(
            material[..SigningKeyLength],
            material[SigningKeyLength..(SigningKeyLength + EncryptingKeyLength)],
            material[(SigningKeyLength + EncryptingKeyLength)..]);
    }

    /// <summary>Encrypts with the receiver's public key, block by block (plaintext block = key size - OAEP overhead).</summary>
    public byte[] AsymmetricEncrypt(RSA publicKey, ReadOnlySpan<byte> plaintext)
    {
        var cipherBlock = publicKey.KeySize / 8;
        var plainBlock = cipherBlock - OaepOverhead;
        var blocks = (plaintext.Length + plainBlock - 1) / plainBlock;
        var output = new byte[blocks * cipherBlock];
        for (var i = 0; i < blocks; i++)
        {
            var slice = plaintext.Slice(i * plainBlock, Math.Min(plainBlock, plaintext.Length - i * plainBlock));
            var written = publicKey.Encrypt(slice, output.AsSpan(i * cipherBlock, cipherBlock), AsymmetricPadding!);
            if (written != cipherBlock)
                throw new CryptographicException($"Expected an RSA block of {cipherBlock} bytes but got {written}");
        }
        return output;
    }

    public byte[] AsymmetricDecrypt(RSA privateKey, ReadOnlySpan<byte> ciphertext)
    {
        var cipherBlock = privateKey.KeySize / 8;
        if (ciphertext.Length % cipherBlock != 0)
            throw new CryptographicException(
                $"Expected a multiple of {cipherBlock} encrypted bytes but got {ciphertext.Length}");
        using var output = new MemoryStream(ciphertext.Length);
        for (var i = 0; i < ciphertext.Length; i += cipherBlock)
            output.Write(privateKey.Decrypt(ciphertext.Slice(i, cipherBlock).ToArray(), AsymmetricPadding!));
        return output.ToArray();
    }
}
