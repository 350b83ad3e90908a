using Confluent.Kafka;
using IotTelemetry.Anomaly;
using IotTelemetry.Cloud.Alerts;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>
/// Keeps the <see cref="AlertBoard"/> current: the journal's history at start, then every event on the
/// <c>alerts</c> topic from its beginning (a private consumer group that never commits), so raises, updates
/// and clears reach the page a moment after the detector publishes them, from this host or another.
/// </summary>
public sealed class AlertFeedService(CloudSettings settings, KafkaCluster cluster, AlertBoard board, ILogger<AlertFeedService> log) : BackgroundService
{
    public string JournalPath => Path.Combine(settings.DataDir, settings.Detector.Journal);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var e in AlertJournal.ReadAll(JournalPath)) board.Apply(e);
        return RestartingLoop.Start(Run, ex => ex is KafkaException or InvalidOperationException,
            (ex, pause) => DashboardLog.FeedFailed(log, ex.Message, pause.TotalSeconds), stoppingToken);
    }

    private void Run(CancellationToken ct)
    {
        var config = cluster.ConsumerConfig("iott-dashboard-" + Guid.NewGuid().ToString("N")[..12], "iott-dashboard");
        config.FetchWaitMaxMs = 50;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        using var consumer = KafkaClients.Consumer<byte[]?, byte[]?>(config, log, "dashboard consumer").Build();
        consumer.Subscribe(settings.Topics.Alerts);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (cr?.Message.Value is not { } value) continue;
                try { board.Apply(AlertJson.Deserialize(value.AsSpan())); }
                catch (System.Text.Json.JsonException) { /* not an alert event: nothing to show */ }
            }
        }
        finally
        {
            try { consumer.Close(); } catch (KafkaException) { }
        }
    }
}
