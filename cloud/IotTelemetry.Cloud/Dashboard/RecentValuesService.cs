using Confluent.Kafka;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>Feeds <see cref="RecentValues"/> from the telemetry topic's newest records (a private group that never commits).</summary>
public sealed class RecentValuesService(CloudSettings settings, KafkaCluster cluster, RecentValues values, ILogger<RecentValuesService> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        return RestartingLoop.Start(Run, ex => ex is KafkaException or InvalidOperationException,
            (ex, pause) => DashboardLog.FeedFailed(log, ex.Message, pause.TotalSeconds), stoppingToken);
    }

    private void Run(CancellationToken ct)
    {
        var config = cluster.ConsumerConfig("iott-dashboard-recent-" + Guid.NewGuid().ToString("N")[..12], "iott-dashboard-recent");
        config.AutoOffsetReset = AutoOffsetReset.Latest;
        config.FetchWaitMaxMs = 200;
        using var consumer = KafkaClients.Consumer<byte[]?, byte[]?>(config, log, "dashboard recent-values consumer").Build();
        consumer.Subscribe(settings.Topics.Telemetry);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var cr = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (cr?.Message.Value is not { } value) continue;
                try { values.Add(ReadingCodec.Decode(value)); }
                catch (ReadingFormatException) { /* counted by the detector and the sinks */ }
            }
        }
        finally
        {
            try { consumer.Close(); } catch (KafkaException) { }
        }
    }
}
