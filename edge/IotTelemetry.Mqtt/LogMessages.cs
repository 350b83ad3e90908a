using Microsoft.Extensions.Logging;

namespace IotTelemetry.Mqtt;

/// <summary>Every log message of the MQTT client, with stable event ids (4100-4199).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Connected to MQTT broker {Host}:{Port} as '{ClientId}' (MQTT {Version}, session present: {SessionPresent})")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId, MqttProtocolVersion version, bool sessionPresent);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Lost the connection to MQTT broker {Host}:{Port}: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string host, int port, string reason, Exception? exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Reconnect attempt {Attempt} to MQTT broker failed, next in {Delay}: {Error}")]
    public static partial void ReconnectFailed(ILogger logger, int attempt, TimeSpan delay, string error);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Re-subscribed {Count} topic filter(s) after the broker kept no session")]
    public static partial void Resubscribed(ILogger logger, int count);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "Re-subscribing after reconnect failed")]
    public static partial void ResubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Debug, Message = "Ignored {PacketType} for unknown packet id {PacketId}")]
    public static partial void UnexpectedAck(ILogger logger, string packetType, ushort packetId);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "A {EventName} event handler threw")]
    public static partial void EventHandlerFailed(ILogger logger, string eventName, Exception exception);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Information, Message = "Resent {Count} unacknowledged publish(es) after reconnect (session present: {SessionPresent})")]
    public static partial void Resent(ILogger logger, int count, bool sessionPresent);
}
