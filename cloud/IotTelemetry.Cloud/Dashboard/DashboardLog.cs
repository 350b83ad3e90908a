using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>The dashboard's log messages, with stable event ids (27xx). Passwords never appear.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(2700, LogLevel.Information, "Dashboard at {Url} for {Users} users; alerts from {Topic} and {Journal}")]
    public static partial void Started(ILogger logger, string url, int users, string topic, string journal);

    [LoggerMessage(2701, LogLevel.Warning, "Dashboard has no users: set Dashboard:Users (name and password hash) to let anyone log in")]
    public static partial void NoUsers(ILogger logger);

    [LoggerMessage(2702, LogLevel.Information, "Dashboard login: {User}")]
    public static partial void LoggedIn(ILogger logger, string user);

    [LoggerMessage(2703, LogLevel.Warning, "Dashboard login refused for user '{User}' from {Remote}")]
    public static partial void LoginRefused(ILogger logger, string user, string remote);

    [LoggerMessage(2704, LogLevel.Information, "Alert {AlertId} acknowledged by {User}")]
    public static partial void Acknowledged(ILogger logger, string alertId, string user);

    [LoggerMessage(2705, LogLevel.Warning, "Alert feed loop failed: {Reason}; restarting in {Seconds} s")]
    public static partial void FeedFailed(ILogger logger, string reason, double seconds);

    [LoggerMessage(2707, LogLevel.Warning, "Acknowledgement of {AlertId} is in the journal but not on the alerts topic: {Reason}")]
    public static partial void AckNotPublished(ILogger logger, string alertId, string reason);
}
