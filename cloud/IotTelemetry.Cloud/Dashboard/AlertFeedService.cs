using Confluent.Kafka;
using IotTelemetry.Anomaly;
using IotTelemetry.Cloud.Detector;
using IotTelemetry.Common.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>
/// Keeps the <see cref="AlertBoard"/> current: the journal's history at start, then every event on the
/// <c>alerts</c> topic from its beginning (a private consumer group that never commits), so raises, updates
/// and clears reach the page a moment after the detector publishes them, from this host or another.
/// </summary>
public sealed class AlertFeedService(IOptions<CloudHostOptions> host, IOptions<CloudTopicOptions> topics, IOptions<DetectorOptions> detector, KafkaCluster cluster, AlertBoard board, ILogger<AlertFeedService> log) : BackgroundService
{
    public string JournalPath => Path.Combine(host.Value.DataPath, detector.Value.Journal);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var e in AlertJournal.ReadAll(JournalPath)) board.Apply(e);
        return DashboardFeed.Start(cluster, topics.Value.Alerts, "iott-dashboard", AutoOffsetReset.Earliest, fetchWaitMs: 50, "dashboard consumer", value =>
        {
            try { board.Apply(AlertJson.Deserialize(value.AsSpan())); }
            catch (System.Text.Json.JsonException) { /* not an alert event: nothing to show */ }
        }, log, stoppingToken);
    }
}
