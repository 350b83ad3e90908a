using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Flight;

/// <summary>The Flight endpoint's log messages (event ids 1700-1709). Passwords and tokens are never logged.</summary>
public static partial class FlightLog
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Information, Message = "Arrow Flight listening on {Url} (the lake's datasets: {Root} and the tiers beside it)")]
    public static partial void Listening(ILogger logger, string url, string root);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "Flight login of {User} from {Peer}")]
    public static partial void LoggedIn(ILogger logger, string user, string peer);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Flight call refused for user {User} from {Peer}: {Why}")]
    public static partial void LoginRefused(ILogger logger, string user, string peer, string why);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "Flight {User} read {Rows} rows in {Batches} batches of {Dataset} ({Query})")]
    public static partial void Served(ILogger logger, string user, long rows, int batches, string dataset, string query);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Warning, Message = "Flight request of {User} failed: {Error}")]
    public static partial void Failed(ILogger logger, string user, string error);
}
