using IotTelemetry.Common.Configuration;

namespace IotTelemetry.Cloud.Flight;

/// <summary>
/// Section <c>Flight</c>: the Arrow Flight endpoint for data scientists, on its own HTTP/2 port (gRPC), serving the lake's
/// datasets as Arrow record batches to the dashboard's users (<c>Dashboard:Users</c>, the same password hashes).
/// </summary>
public sealed class FlightOptions
{
    public bool Enabled { get; set; }

    /// <summary><c>http://host:port</c> (HTTP/2 without TLS: loopback only unless Security:AllowInsecure) or <c>https://host:port</c> with a certificate.</summary>
    public string Url { get; set; } = "http://127.0.0.1:9103";

    /// <summary>PEM certificate (chain) served when <see cref="Url"/> is https.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Rows per record batch at most (a row group is cut into batches of this size).</summary>
    public int MaxRowsPerBatch { get; set; } = 65_536;

    /// <summary>How long a bearer token from the handshake stays valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    public Uri Endpoint => new(Url);

    public void Validate(ConfigErrors errors, int userCount)
    {
        if (!Enabled) return;
        var ok = Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Port > 0 && uri.AbsolutePath == "/"
            && (uri.Host == "localhost" || System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out _)); // Kestrel listens on an address, not a name
        errors.Require(ok, "Flight:Url", "http://host:port or https://host:port (an IP address or localhost)", Url);
        if (ok && uri!.Scheme == "https")
        {
            errors.Require(CertificateFile is { Length: > 0 } c && File.Exists(c), "Flight:CertificateFile", "a PEM certificate file for https", CertificateFile ?? "none");
            errors.Require(KeyFile is { Length: > 0 } k && File.Exists(k), "Flight:KeyFile", "the PEM key of Flight:CertificateFile", KeyFile ?? "none");
        }
        errors.Require(userCount > 0, "Dashboard:Users", "at least one user: Flight logs in the dashboard's users", "none");
        errors.RequireRange(MaxRowsPerBatch, 1, 10_000_000, "Flight:MaxRowsPerBatch");
        errors.RequirePositive(TokenLifetime, "Flight:TokenLifetime");
    }
}
