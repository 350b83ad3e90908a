using Microsoft.Extensions.Logging;

namespace IotTelemetry.OpcUa;

/// <summary>Every log message of the OPC UA client, with stable event ids (3000-3099). Never logs passwords or keys.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(3000, LogLevel.Information, "OPC UA {Endpoint}: connected ({Policy}, {Mode}), session {SessionId}, {Items} monitored items")]
    public static partial void Connected(ILogger logger, string endpoint, string policy, string mode, string sessionId, int items);

    [LoggerMessage(3001, LogLevel.Warning, "OPC UA {Endpoint}: connection broken: {Reason}")]
    public static partial void ChannelBroken(ILogger logger, string endpoint, string reason);

    [LoggerMessage(3002, LogLevel.Debug, "OPC UA {Endpoint}: security token renewed (token {TokenId}, lifetime {LifetimeMs} ms)")]
    public static partial void TokenRenewed(ILogger logger, string endpoint, uint tokenId, uint lifetimeMs);

    [LoggerMessage(3003, LogLevel.Information, "OPC UA client certificate created at {Path} (thumbprint {Thumbprint}, application URI {ApplicationUri})")]
    public static partial void ClientCertificateCreated(ILogger logger, string path, string thumbprint, string applicationUri);

    [LoggerMessage(3004, LogLevel.Warning,
        "OPC UA {Endpoint}: server certificate {Subject} (thumbprint {Thumbprint}) was unknown and is now trusted because AutoAcceptServerCertificate is on; copied to {Folder}")]
    public static partial void ServerCertificateAutoAccepted(ILogger logger, string endpoint, string subject, string thumbprint, string folder);

    [LoggerMessage(3005, LogLevel.Warning, "OPC UA {Endpoint}: reconnect attempt {Attempt} failed: {Reason}; next in {DelayMs} ms")]
    public static partial void ReconnectFailed(ILogger logger, string endpoint, int attempt, string reason, long delayMs);

    [LoggerMessage(3006, LogLevel.Information, "OPC UA {Endpoint}: reconnected after {GapMs} ms without data (reconnect #{Count})")]
    public static partial void Reconnected(ILogger logger, string endpoint, long gapMs, int count);

    [LoggerMessage(3007, LogLevel.Warning, "OPC UA {Endpoint}: node {Node} ({Site}/{Asset}/{Sensor}) is not available: {Status}")]
    public static partial void NodeUnavailable(ILogger logger, string endpoint, string node, string site, string asset, string sensor, string status);

    [LoggerMessage(3008, LogLevel.Warning, "OPC UA {Endpoint}: notification gap, sequence numbers {From}..{To} missing; republish {Outcome}")]
    public static partial void SequenceGap(ILogger logger, string endpoint, uint from, uint to, string outcome);

    [LoggerMessage(3009, LogLevel.Warning, "OPC UA {Endpoint}: data changes dropped because the consumer is slow ({Dropped} so far)")]
    public static partial void Dropped(ILogger logger, string endpoint, long dropped);

    [LoggerMessage(3010, LogLevel.Error, "OPC UA {Endpoint}: giving up: {Reason}")]
    public static partial void Fatal(ILogger logger, string endpoint, string reason);

    [LoggerMessage(3011, LogLevel.Warning, "OPC UA {Endpoint}: no publish response for {Ms} ms; treating the connection as lost")]
    public static partial void PublishWatchdog(ILogger logger, string endpoint, long ms);

    [LoggerMessage(3012, LogLevel.Information, "OPC UA {Endpoint}: subscription status changed to {Status}")]
    public static partial void SubscriptionStatus(ILogger logger, string endpoint, string status);
}
