using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using IotTelemetry.Cloud.Dashboard;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Flight;

/// <summary>
/// Flight's logins, as the dashboard's: a user of <c>Dashboard:Users</c> whose password matches its PBKDF2 hash. The
/// handshake takes <c>authorization: Basic …</c> and answers <c>authorization: Bearer &lt;token&gt;</c> (what
/// <c>pyarrow.flight.FlightClient.authenticate_basic_token</c> expects); every other call needs that bearer token, or
/// Basic credentials again. Tokens are random, kept in memory only, and expire after <c>Flight:TokenLifetime</c>.
/// </summary>
public sealed class FlightAuth(IReadOnlyList<DashboardUser> users, TimeSpan tokenLifetime, ILogger log)
{
    private readonly ConcurrentDictionary<string, (string User, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

    /// <summary>The user the call is made for; throws <see cref="StatusCode.Unauthenticated"/> otherwise.</summary>
    public string Authenticate(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.RequestHeaders.GetValue("authorization") ?? "";
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header[7..].Trim();
            if (_tokens.TryGetValue(token, out var entry) && entry.Expires > DateTimeOffset.UtcNow) return entry.User;
            _tokens.TryRemove(token, out _);
            throw Refused(context, "?", "an unknown or expired bearer token");
        }
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return CheckBasic(context, header[6..].Trim());
        throw Refused(context, "?", "no authorization header");
    }

    /// <summary>Checks Basic credentials and returns a new bearer token for them.</summary>
    public (string User, string Token) Login(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.RequestHeaders.GetValue("authorization") ?? "";
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) throw Refused(context, "?", "a handshake without Basic credentials");
        var user = CheckBasic(context, header[6..].Trim());
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var now = DateTimeOffset.UtcNow;
        foreach (var (key, entry) in _tokens) if (entry.Expires <= now) _tokens.TryRemove(key, out _);
        _tokens[token] = (user, now + tokenLifetime);
        FlightLog.LoggedIn(log, user, Peer(context));
        return (user, token);
    }

    private string CheckBasic(ServerCallContext context, string encoded)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            throw Refused(context, "?", "Basic credentials that are not base64");
        }
        var colon = decoded.IndexOf(':');
        var name = colon < 0 ? decoded : decoded[..colon];
        var password = colon < 0 ? "" : decoded[(colon + 1)..];
        var user = users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.Ordinal));
        if (user is null || !PasswordHash.Verify(password, user.PasswordHash)) throw Refused(context, name, "a wrong user name or password");
        return user.Name;
    }

    private RpcException Refused(ServerCallContext context, string user, string why)
    {
        FlightLog.LoginRefused(log, user, Peer(context), why);
        return new RpcException(new Status(StatusCode.Unauthenticated, "Expected a dashboard user's credentials (Basic) or a bearer token from the handshake, got " + why));
    }

    private static string Peer(ServerCallContext context) => context.Peer ?? "?";
}
