using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud;

/// <summary>Every log message of the cloud services, with stable event ids.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(2000, LogLevel.Information, "Cloud services starting: {Cluster}; data directory {DataDir}")]
    public static partial void Starting(ILogger logger, string cluster, string dataDir);

    [LoggerMessage(2001, LogLevel.Information, "Metrics and health at {Urls}")]
    public static partial void MetricsAt(ILogger logger, string urls);

    [LoggerMessage(2100, LogLevel.Information, "Anomaly detector consuming {Topic} as group {Group}; {Open} open alerts restored from {Journal}")]
    public static partial void DetectorStarted(ILogger logger, string topic, string group, int open, string journal);

    [LoggerMessage(2101, LogLevel.Information, "Alert {Kind}: {AlertId} {Message}")]
    public static partial void Alert(ILogger logger, string kind, string alertId, string message);

    [LoggerMessage(2102, LogLevel.Warning, "Skipping record {Topic}[{Partition}]@{Offset}: {Reason}")]
    public static partial void Undecodable(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(2120, LogLevel.Warning, "Lake catalog refresh failed: {Reason}; trying again in {Seconds} s")]
    public static partial void CatalogRefreshFailed(ILogger logger, string reason, double seconds);

    [LoggerMessage(2103, LogLevel.Warning, "{Service} loop failed: {Reason}; restarting in {Seconds} s from the last committed offsets")]
    public static partial void LoopFailed(ILogger logger, string service, string reason, double seconds);

    [LoggerMessage(2104, LogLevel.Warning, "Anomaly detector: {Missing} of {Checked} journal events after the published mark were missing from the alerts topic (a crash before their acknowledgement) and were sent again ({Journal})")]
    public static partial void AlertsResent(ILogger logger, int missing, int @checked, string journal);

    [LoggerMessage(2110, LogLevel.Information, "Anomaly detector: {Count} learned models restored from {Path}")]
    public static partial void ModelsRestored(ILogger logger, int count, string path);

    [LoggerMessage(2111, LogLevel.Warning, "Anomaly detector: model snapshot {Path} unreadable ({Reason}); the models learn afresh")]
    public static partial void ModelsUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(2200, LogLevel.Information, "Parquet sink consuming {Topic} as group {Group} into {Root}")]
    public static partial void SinkStarted(ILogger logger, string topic, string group, string root);

    [LoggerMessage(2201, LogLevel.Information, "Wrote {Path}: {Rows} rows, {Bytes} bytes, offsets {First}..{Last} of partition {Partition}")]
    public static partial void FileWritten(ILogger logger, string path, int rows, long bytes, long first, long last, int partition);

    [LoggerMessage(2203, LogLevel.Warning, "Dead-lettered {Topic}[{Partition}]@{Offset} to {DeadLetterTopic}: {Reason}: {Detail}")]
    public static partial void SinkDeadLetter(ILogger logger, string topic, int partition, long offset, string deadLetterTopic, string reason, string detail);

    [LoggerMessage(2205, LogLevel.Error, "Parquet sink {Topic}[{Partition}]: offsets {From}..{To} ({Count} records) were deleted by the cloud cluster before the sink read them; continuing at {Next}. Keep the cloud topic's retention longer than the longest time the sink may be stopped or behind")]
    public static partial void SinkMissing(ILogger logger, string topic, int partition, long from, long to, long count, long next);

    [LoggerMessage(2204, LogLevel.Warning, "Dropped {Rows} late rows for {Partition}: retention tombstoned it")]
    public static partial void SinkTombstoned(ILogger logger, int rows, string partition);

    [LoggerMessage(2250, LogLevel.Information, "Rollup writer consuming {Topic} as group {Group} into {Root}")]
    public static partial void RollupsStarted(ILogger logger, string topic, string group, string root);

    [LoggerMessage(2251, LogLevel.Debug, "Wrote rollups {Path}: {Rows} partial rows, {Bytes} bytes, offsets {First}..{Last} of partition {Partition}")]
    public static partial void RollupWritten(ILogger logger, string path, int rows, long bytes, long first, long last, int partition);

    [LoggerMessage(2252, LogLevel.Warning, "Dropped {Rows} late rollup rows for {Partition}: retention tombstoned it")]
    public static partial void RollupTombstoned(ILogger logger, int rows, string partition);
}
