using Microsoft.Extensions.Logging;

namespace IotTelemetry.Common.Kafka;

/// <summary>The log messages of the Kafka clients every service builds through <see cref="KafkaClients"/>, with stable event ids.</summary>
internal static partial class KafkaLog
{
    /// <summary>A line of librdkafka's own log: Debug, because librdkafka repeats each broker-down line while an outage lasts.</summary>
    [LoggerMessage(100, LogLevel.Debug, "Kafka {Client}: [{Level}] {Message}")]
    public static partial void ClientLog(ILogger logger, string client, string level, string message);

    /// <summary>An error the client reports and recovers from on its own (a broker down, a request timed out).</summary>
    [LoggerMessage(101, LogLevel.Debug, "Kafka {Client}: error {Code}: {Reason}")]
    public static partial void ClientError(ILogger logger, string client, string code, string reason);

    /// <summary>An error after which the client cannot go on; the service that owns it restarts its session or stops.</summary>
    [LoggerMessage(102, LogLevel.Error, "Kafka {Client}: fatal error {Code}: {Reason}")]
    public static partial void ClientFatal(ILogger logger, string client, string code, string reason);
}
