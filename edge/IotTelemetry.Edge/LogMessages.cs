using Microsoft.Extensions.Logging;

namespace IotTelemetry.Edge;

/// <summary>Every log message of the edge agent, with stable event ids.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(1000, LogLevel.Information, "Edge agent for site {Site} starting: {Clusters}")]
    public static partial void Starting(ILogger logger, string site, string clusters);

    [LoggerMessage(1001, LogLevel.Information, "Metrics and health at {Urls}")]
    public static partial void MetricsAt(ILogger logger, string urls);

    [LoggerMessage(1100, LogLevel.Information, "Mirror {Source} at {EdgeBootstrap} -> {Target} at {CloudBootstrap} running")]
    public static partial void MirrorStarted(ILogger logger, string source, string edgeBootstrap, string target, string cloudBootstrap);

    [LoggerMessage(1101, LogLevel.Information, "Mirror {Source}[{Partition}] resumes at offset {Offset}: {Why}")]
    public static partial void MirrorResuming(ILogger logger, string source, int partition, long offset, string why);

    [LoggerMessage(1102, LogLevel.Warning, "Mirror {Source} -> {Target} session failed: {Reason}; restarting in {Seconds} s from the last copy in the cloud")]
    public static partial void MirrorSessionFailed(ILogger logger, string source, string target, string reason, double seconds);

    [LoggerMessage(1103, LogLevel.Warning, "Mirror {Source}: committing edge offsets failed: {Reason} (copies are safe; only lag reporting is behind)")]
    public static partial void MirrorCommitFailed(ILogger logger, string source, string reason);

    [LoggerMessage(1104, LogLevel.Error, "Mirror {Source}[{Partition}]: offsets {From}..{To} ({Count} records) were deleted by the edge cluster before they were copied; continuing at {Next}. Keep the edge topic's retention longer than the longest uplink outage")]
    public static partial void MirrorMissing(ILogger logger, string source, int partition, long from, long to, long count, long next);

    [LoggerMessage(1105, LogLevel.Error, "Mirror {Source}[{Partition}]: cannot tell where to resume: cloud {Target}[{Partition}] holds offsets {Low}..{High} and none of the last {Scanned} is a copy of this mirror ({Why}), and the edge group has no committed offset; not starting over from the beginning, trying again. If this mirror's copies are further back, raise Mirror:ResumeScanLimit")]
    public static partial void MirrorResumeUnproven(ILogger logger, string source, int partition, string target, long low, long high, long scanned, string why);

    [LoggerMessage(1106, LogLevel.Warning, "Mirror {Source}[{Partition}]: no copy of this mirror in the last {Scanned} records of cloud {Target}[{Partition}] (offsets {Low}..{High}; {Why}); resuming at the edge group's committed offset {Offset}: copies acknowledged after that commit (at most Mirror:CommitInterval of them) are copied again")]
    public static partial void MirrorResumeFromCommit(ILogger logger, string source, int partition, string target, long low, long high, long scanned, string why, long offset);

    [LoggerMessage(1300, LogLevel.Information, "MQTT ingest from {Broker} subscribed to {Filters}")]
    public static partial void MqttSubscribed(ILogger logger, string broker, string filters);

    [LoggerMessage(1310, LogLevel.Information, "Connected to MQTT broker {Broker} as '{ClientId}' (MQTT {Version}, session present: {SessionPresent})")]
    public static partial void MqttConnected(ILogger logger, string broker, string clientId, string version, bool sessionPresent);

    [LoggerMessage(1311, LogLevel.Warning, "Lost the connection to MQTT broker {Broker}: {Reason}; reconnecting (unacknowledged messages will be redelivered)")]
    public static partial void MqttConnectionLost(ILogger logger, string broker, string reason);

    [LoggerMessage(1312, LogLevel.Warning, "MQTT broker {Broker} not reachable yet: {Reason}; retrying with backoff")]
    public static partial void MqttUnreachable(ILogger logger, string broker, string reason);

    [LoggerMessage(1313, LogLevel.Debug, "Acknowledgement of a message on {Topic} not sent: {Reason}; the broker redelivers it after the reconnect")]
    public static partial void MqttAcknowledgementLost(ILogger logger, string topic, string reason);

    [LoggerMessage(1320, LogLevel.Information, "Sparkplug host application online: STATE published on {Topic} (the will says offline)")]
    public static partial void SparkplugHostOnline(ILogger logger, string topic);

    [LoggerMessage(1321, LogLevel.Information, "Sparkplug: asked edge node {Group}/{Node} for a rebirth ({Reason})")]
    public static partial void SparkplugRebirthRequested(ILogger logger, string group, string node, string reason);

    [LoggerMessage(1301, LogLevel.Warning, "Dead letter from {Source}: {Reason}: {Detail}")]
    public static partial void DeadLetter(ILogger logger, string source, string reason, string detail);

    [LoggerMessage(1302, LogLevel.Error, "Edge Kafka write failed for a message from {Source}: {Reason}; the MQTT message stays unacknowledged and the broker will redeliver it")]
    public static partial void EdgeWriteFailed(ILogger logger, string source, string reason);

    [LoggerMessage(1303, LogLevel.Error, "Dead letter from {Source} ({Reason}, {Bytes} bytes) could not be written to the edge cluster at all; it is dropped and counted in iott_edge_dead_letters_unwritable_total")]
    public static partial void DeadLetterUnwritable(ILogger logger, string source, string reason, int bytes);

    [LoggerMessage(1304, LogLevel.Error, "A message from {Source} could not be processed: {Reason}")]
    public static partial void ProcessingFailed(ILogger logger, string source, string reason);

    [LoggerMessage(1330, LogLevel.Information, "Read back {Readings} readings from the tail of {Telemetry} and {DeadLetters} dead letters from {DeadLetterTopic} in {Ms:0} ms: a redelivery of any of them is acknowledged without writing it again")]
    public static partial void RecentWritesReadBack(ILogger logger, long readings, string telemetry, long deadLetters, string deadLetterTopic, double ms);

    [LoggerMessage(1331, LogLevel.Warning, "Reading back the recent writes from the edge cluster failed: {Reason}; retrying (no input is taken until it succeeds)")]
    public static partial void RecentWritesReadBackFailed(ILogger logger, string reason);
}
