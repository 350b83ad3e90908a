using IotTelemetry.Anomaly;
using IotTelemetry.Common.Configuration;

namespace IotTelemetry.Cloud.Notifications;

/// <summary>Section <c>Notifications</c>: webhook targets for alert events.</summary>
public sealed class NotificationOptions
{
    public List<WebhookTarget> Webhooks { get; set; } = [];

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retry pauses start at 200 ms and double up to this.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    public void Validate(ConfigErrors errors)
    {
        errors.RequirePositive(RequestTimeout, "Notifications:RequestTimeout");
        errors.RequirePositive(MaxBackoff, "Notifications:MaxBackoff");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Webhooks.Count; i++)
        {
            var key = $"Notifications:Webhooks:{i}";
            var w = Webhooks[i];
            errors.Require(!string.IsNullOrWhiteSpace(w.Name) && w.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && names.Add(w.Name),
                key + ":Name", "a unique name of letters, digits, '-', '_' or '.'", w.Name);
            errors.Require(Uri.TryCreate(w.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https", key + ":Url", "an http(s) URL", w.Url);
            foreach (var kind in w.Kinds)
                errors.Require(Enum.TryParse<AlertEventKind>(kind, ignoreCase: true, out _), key + ":Kinds", "Raised, Updated, Cleared or Acknowledged", kind);
            errors.Require(w.StartAt.Equals("Latest", StringComparison.OrdinalIgnoreCase) || w.StartAt.Equals("Earliest", StringComparison.OrdinalIgnoreCase),
                key + ":StartAt", "Latest or Earliest", w.StartAt);
            w.ResolvedSecret = Secrets.Resolve(w.Secret, w.SecretFile, key + ":SecretFile", errors);
        }
    }
}
