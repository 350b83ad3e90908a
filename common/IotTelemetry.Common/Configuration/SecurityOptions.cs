namespace IotTelemetry.Common.Configuration;

/// <summary>Configuration section <c>Security</c>: what a host may do that is not secure by default.</summary>
public sealed class SecurityOptions
{
    /// <summary>
    /// Allow plaintext connections (MQTT without TLS, Kafka Plaintext/SaslPlaintext) to non-loopback
    /// addresses. Off by default: start-up refuses them, saying why.
    /// </summary>
    public bool AllowInsecure { get; set; }
}
