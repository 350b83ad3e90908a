namespace IotTelemetry.OpcUa;

/// <summary>The security policies this client speaks.</summary>
public enum OpcUaSecurityPolicy
{
    None,
    Basic256Sha256,
    Aes128Sha256RsaOaep,
    Aes256Sha256RsaPss,
}
