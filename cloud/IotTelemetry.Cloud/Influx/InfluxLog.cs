using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Influx;

/// <summary>The InfluxDB sink's log messages, with stable event ids (26xx).</summary>
internal static partial class InfluxLog
{
    [LoggerMessage(2600, LogLevel.Information, "InfluxDB sink consuming {Topic} as group {Group} into {Url} (org {Org}, bucket {Bucket}, measurement {Measurement})")]
    public static partial void Started(ILogger logger, string topic, string group, string url, string org, string bucket, string measurement);

    [LoggerMessage(2601, LogLevel.Warning, "InfluxDB write of {Points} points failed: {Reason}; retrying in {Seconds} s")]
    public static partial void WriteFailed(ILogger logger, int points, string reason, double seconds);

    [LoggerMessage(2602, LogLevel.Information, "InfluxDB accepts writes again after {Attempts} failed attempts")]
    public static partial void Recovered(ILogger logger, int attempts);

    [LoggerMessage(2603, LogLevel.Error, "InfluxDB rejected a batch of {Points} points, skipped: {Reason}")]
    public static partial void Rejected(ILogger logger, int points, string reason);

    [LoggerMessage(2604, LogLevel.Warning, "InfluxDB sink loop failed: {Reason}; restarting in {Seconds} s from the last committed offsets")]
    public static partial void LoopFailed(ILogger logger, string reason, double seconds);
}
