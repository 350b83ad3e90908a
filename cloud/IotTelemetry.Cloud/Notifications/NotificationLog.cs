using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Notifications;

/// <summary>The webhook notifier's log messages, with stable event ids (28xx). Secrets never appear.</summary>
internal static partial class NotificationLog
{
    [LoggerMessage(2800, LogLevel.Information, "Webhook {Target} sends {Kinds} alert events from {Topic} to {Url} (group {Group})")]
    public static partial void Started(ILogger logger, string target, string kinds, string topic, string url, string group);

    [LoggerMessage(2801, LogLevel.Warning, "Webhook {Target}: delivering {AlertId} failed ({Reason}); attempt {Attempt}, retrying in {Seconds} s")]
    public static partial void Failed(ILogger logger, string target, string alertId, string reason, int attempt, double seconds);

    [LoggerMessage(2802, LogLevel.Information, "Webhook {Target}: delivered {Kind} {AlertId}")]
    public static partial void Delivered(ILogger logger, string target, string kind, string alertId);

    [LoggerMessage(2803, LogLevel.Error, "Webhook {Target}: {AlertId} refused with {Status}, not retried: {Reason}")]
    public static partial void Refused(ILogger logger, string target, string alertId, int status, string reason);

    [LoggerMessage(2804, LogLevel.Warning, "Webhook {Target} loop failed: {Reason}; restarting in {Seconds} s from the last delivered event")]
    public static partial void LoopFailed(ILogger logger, string target, string reason, double seconds);
}
