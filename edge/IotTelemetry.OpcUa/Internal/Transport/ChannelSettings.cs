using System.Security.Cryptography.X509Certificates;
using IotTelemetry.OpcUa.Internal.Security;

namespace IotTelemetry.OpcUa.Internal.Transport;

/// <summary>What a secure channel needs: where, which security, whose certificates, how long tokens live.</summary>
internal sealed record ChannelSettings(
    string EndpointUrl,
    SecurityPolicy Policy,
    OpcUaSecurityMode Mode,
    X509Certificate2? ClientCertificate,
    byte[]? ServerCertificate,
    uint RequestedLifetimeMs,
    TimeSpan RequestTimeout);
