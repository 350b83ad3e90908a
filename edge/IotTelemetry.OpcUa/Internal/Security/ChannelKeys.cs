namespace IotTelemetry.OpcUa.Internal.Security;

/// <summary>The symmetric keys of one side of a secure channel for one token.</summary>
internal sealed record ChannelKeys(byte[] SigningKey, byte[] EncryptingKey, byte[] InitializationVector)
{
    public override string ToString() => "ChannelKeys { (secret) }";
}
