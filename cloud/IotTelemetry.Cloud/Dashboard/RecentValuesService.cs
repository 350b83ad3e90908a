using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>Feeds <see cref="RecentValues"/> from the telemetry topic's newest records (a private group that never commits).</summary>
public sealed class RecentValuesService(IOptions<CloudTopicOptions> topics, KafkaCluster cluster, RecentValues values, ILogger<RecentValuesService> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        DashboardFeed.Start(cluster, topics.Value.Telemetry, "iott-dashboard-recent", AutoOffsetReset.Latest, fetchWaitMs: 200,
            "dashboard recent-values consumer", value =>
            {
                try { values.Add(ReadingCodec.Decode(value)); }
                catch (ReadingFormatException) { /* counted by the detector and the sinks */ }
            }, log, stoppingToken);
}
