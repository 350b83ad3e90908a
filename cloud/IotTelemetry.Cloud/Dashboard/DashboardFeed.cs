using Confluent.Kafka;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>
/// What the dashboard's feeds share: a private consumer group (a fresh id every session, never committed, so each page
/// model is rebuilt from <c>reset</c> after a restart) whose records' values go to the page model, restarted with backoff
/// after a failure of the cluster.
/// </summary>
internal static class DashboardFeed
{
    /// <param name="clientId">Also the group's prefix, e.g. <c>iott-dashboard</c>.</param>
    /// <param name="apply">One record's value; a value that is not what the feed shows is stepped over there.</param>
    public static Task Start(KafkaCluster cluster, string topic, string clientId, AutoOffsetReset reset, int fetchWaitMs, string client,
        Action<byte[]> apply, ILogger log, CancellationToken stopping) =>
        RestartingLoop.Start(ct =>
        {
            var config = cluster.ConsumerConfig(clientId + "-" + Guid.NewGuid().ToString("N")[..12], clientId);
            config.AutoOffsetReset = reset;
            config.FetchWaitMaxMs = fetchWaitMs;
            new ConsumerSession
            {
                Topic = topic,
                Config = config,
                Client = client,
                PollTimeout = TimeSpan.FromMilliseconds(200),
                Record = (_, cr) => { if (cr.Message.Value is { } value) apply(value); },
            }.Run(log, ct);
        }, ex => ex is KafkaException or InvalidOperationException, (ex, pause) => DashboardLog.FeedFailed(log, ex.Message, pause.TotalSeconds), stopping);
}
