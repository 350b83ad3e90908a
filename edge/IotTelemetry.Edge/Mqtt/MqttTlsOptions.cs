namespace IotTelemetry.Edge.Mqtt;

/// <summary>Section <c>Mqtt:Tls</c>: the broker certificate is verified against <see cref="CaFile"/> (or the system store).</summary>
public sealed class MqttTlsOptions
{
    /// <summary>PEM file of the CA(s) that signed the broker certificate; null means the system trust store.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate for mutual TLS; needs <see cref="ClientKeyFile"/>.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key (unencrypted PKCS#8 or PKCS#1/SEC1) of the client certificate.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>Name the broker certificate must carry (SNI and verification); defaults to the host.</summary>
    public string? ServerName { get; set; }
}
