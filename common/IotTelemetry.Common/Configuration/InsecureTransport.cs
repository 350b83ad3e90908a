using System.Net;

namespace IotTelemetry.Common.Configuration;

/// <summary>
/// The start-up check that refuses an unencrypted connection to another machine: readings and credentials
/// would cross the network in clear. Loopback (127.0.0.0/8, ::1, localhost) and embedded clusters are exempt;
/// <see cref="SecurityOptions.AllowInsecure"/> lifts the check.
/// </summary>
public static class InsecureTransport
{
    /// <summary>True for localhost and loopback addresses (an optional :port is ignored).</summary>
    public static bool IsLoopback(string hostOrHostPort)
    {
        var host = hostOrHostPort.Trim();
        if (host.StartsWith('[') && host.IndexOf(']') is var close and > 0) host = host[1..close];
        else if (host.Count(c => c == ':') == 1) host = host[..host.IndexOf(':')];
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }

    /// <summary>
    /// Adds a problem under <paramref name="key"/> when <paramref name="secure"/> is false, any of
    /// <paramref name="addresses"/> is not loopback and insecure connections are not allowed.
    /// </summary>
    public static void Check(ConfigErrors errors, SecurityOptions security, string key, bool secure, IEnumerable<string> addresses, string what)
    {
        if (secure || security.AllowInsecure) return;
        var remote = addresses.Where(a => !string.IsNullOrWhiteSpace(a) && !IsLoopback(a)).ToList();
        if (remote.Count == 0) return;
        errors.AddMessage(
            $"{key}: refusing an unencrypted {what} to non-loopback {string.Join(", ", remote)}: readings and credentials would cross the network in clear. " +
            "Configure TLS, or set Security:AllowInsecure=true to accept that risk explicitly");
    }

    /// <summary>The check for a Kafka cluster: Plaintext and SaslPlaintext are unencrypted.</summary>
    public static bool IsEncryptedKafkaProtocol(string securityProtocol) =>
        securityProtocol.Equals("Ssl", StringComparison.OrdinalIgnoreCase) || securityProtocol.Equals("SaslSsl", StringComparison.OrdinalIgnoreCase);
}
