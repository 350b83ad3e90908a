using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>Feeds <see cref="RecentValues"/> from the telemetry topic's newest records (a private group that never commits).</summary>
public sealed class RecentValuesService(CloudSettings settings, KafkaCluster cluster, RecentValues values, ILogger<RecentValuesService> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => RunWithRestarts(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void RunWithRestarts(CancellationToken ct)
    {
        var pause = TimeSpan.FromMilliseconds(500);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                Run(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is KafkaException or InvalidOperationException)
            {
                DashboardLog.FeedFailed(log, ex.Message, pause.TotalSeconds);
                ct.WaitHandle.WaitOne(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private void Run(CancellationToken ct)
    {
        var config = cluster.ConsumerConfig("iott-dashboard-recent-" + Guid.NewGuid().ToString("N")[..12], "iott-dashboard-recent");
        config.AutoOffsetReset = AutoOffsetReset.Latest;
        config.FetchWaitMaxMs = 200;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetLogHandler((_, m) => DashboardLog.KafkaClientLog(log, "dashboard recent-values consumer", m.Level.ToString(), m.Message))
            .Build();
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
