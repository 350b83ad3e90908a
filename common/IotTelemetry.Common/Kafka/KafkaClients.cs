using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Common.Kafka;

/// <summary>
/// The one way the services build Kafka clients, so that each logs the same way: librdkafka's log lines and the errors the
/// client reports go to the service's logger under the client's name (never to stderr, librdkafka's default), and a fatal
/// error (the client cannot go on, e.g. an idempotent producer that lost its sequence) is logged as an error and handed to
/// <c>onFatal</c>, where the service decides what to do (fail its session, stop the host). Callers add their own handlers
/// (partition assignment and revocation) to the builder returned.
/// </summary>
public static class KafkaClients
{
    /// <summary>A producer builder for <paramref name="config"/>, logging to <paramref name="log"/> as <paramref name="client"/>.</summary>
    /// <param name="log">Null for a short-lived helper client whose caller reports what it found: its log lines are dropped.</param>
    public static ProducerBuilder<TKey, TValue> Producer<TKey, TValue>(ProducerConfig config, ILogger? log, string client, Action<Error>? onFatal = null) =>
        new ProducerBuilder<TKey, TValue>(config)
            .SetLogHandler((_, m) => Log(log, client, m))
            .SetErrorHandler((_, e) => Report(log, client, e, onFatal));

    /// <summary>A consumer builder for <paramref name="config"/>, logging to <paramref name="log"/> as <paramref name="client"/>.</summary>
    /// <param name="log">Null for a short-lived helper client whose caller reports what it found: its log lines are dropped.</param>
    public static ConsumerBuilder<TKey, TValue> Consumer<TKey, TValue>(ConsumerConfig config, ILogger? log, string client, Action<Error>? onFatal = null) =>
        new ConsumerBuilder<TKey, TValue>(config)
            .SetLogHandler((_, m) => Log(log, client, m))
            .SetErrorHandler((_, e) => Report(log, client, e, onFatal));

    /// <summary>An admin client for <paramref name="config"/>, logging to <paramref name="log"/> as <paramref name="client"/>.</summary>
    /// <param name="log">Null for a short-lived helper client whose caller reports what it found: its log lines are dropped.</param>
    public static IAdminClient Admin(AdminClientConfig config, ILogger? log, string client) =>
        new AdminClientBuilder(config)
            .SetLogHandler((_, m) => Log(log, client, m))
            .SetErrorHandler((_, e) => Report(log, client, e, null))
            .Build();

    private static void Log(ILogger? log, string client, LogMessage m)
    {
        if (log is not null) KafkaLog.ClientLog(log, client, m.Level.ToString(), m.Message);
    }

    private static void Report(ILogger? log, string client, Error e, Action<Error>? onFatal)
    {
        if (log is not null)
        {
            if (e.IsFatal) KafkaLog.ClientFatal(log, client, e.Code.ToString(), e.Reason);
            else KafkaLog.ClientError(log, client, e.Code.ToString(), e.Reason);
        }
        if (e.IsFatal) onFatal?.Invoke(e);
    }
}
