namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>Who the client is and how it logs in.</summary>
internal sealed record SessionSettings(
    string EndpointUrl,
    string ApplicationUri,
    string ApplicationName,
    string? UserName,
    string? Password,
    TimeSpan SessionTimeout,
    TimeSpan RequestTimeout,
    System.Security.Cryptography.X509Certificates.X509Certificate2? UserCertificate = null)
{
    public override string ToString() => $"SessionSettings {{ EndpointUrl = {EndpointUrl}, UserName = {UserName} }}";
}
