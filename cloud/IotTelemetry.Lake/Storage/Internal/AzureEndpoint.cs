using System.Net;
using Azure.Storage.Blobs;

namespace IotTelemetry.Lake.Internal;

/// <summary>Blob endpoints as configuration names them, checked before anything connects.</summary>
internal static class AzureEndpoint
{
    /// <summary>The blob endpoint a connection string names; null when it is not a storage connection string.</summary>
    public static Uri? FromConnectionString(string connectionString)
    {
        try { return new BlobServiceClient(connectionString).Uri; }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException) { return null; }
    }

    /// <summary>TLS, or plain http to this machine only (Azurite on loopback).</summary>
    public static bool IsSecureOrLoopback(Uri endpoint) =>
        endpoint.Scheme == Uri.UriSchemeHttps
        || (endpoint.Scheme == Uri.UriSchemeHttp && (endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host, out var ip) && IPAddress.IsLoopback(ip))));

    /// <summary>A URL fit for a log: scheme, host, port and path, without the query (where a SAS would be).</summary>
    public static string Printable(Uri uri) => uri.GetLeftPart(UriPartial.Path);
}
