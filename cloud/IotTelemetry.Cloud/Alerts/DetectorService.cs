using System.Text;
using Confluent.Kafka;
using IotTelemetry.Anomaly;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Alerts;

/// <summary>
/// The anomaly detector: a consumer group on the telemetry topic. Every reading goes through the
/// <see cref="AnomalyEngine"/>; each raise, update and clear is published to the alerts topic and appended to
/// the journal. Offsets are committed only after the alerts they produced are acknowledged and the journal
/// is on disk. Open alerts are restored from the journal at start, so a restart neither raises an open alert
/// again nor forgets to clear it.
/// </summary>
public sealed class DetectorService(CloudSettings settings, KafkaCluster cluster, CloudMetrics metrics, ILogger<DetectorService> log)
    : BackgroundService
{
    private readonly object _openGate = new();
    private IReadOnlyList<AlertEvent> _open = [];

    /// <summary>A snapshot of the open alerts, for the health view.</summary>
    public IReadOnlyList<AlertEvent> OpenAlerts { get { lock (_openGate) return _open; } }

    public string JournalPath => Path.Combine(settings.DataDir, settings.Detector.Journal);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RestartingLoop.Start(Run, ex => ex is KafkaException or IOException or InvalidOperationException,
            (ex, pause) => LogMessages.LoopFailed(log, "Detector", ex.Message, pause.TotalSeconds), stoppingToken);

    private void Run(CancellationToken ct)
    {
        var engine = new AnomalyEngine(settings.Anomaly);
        engine.Restore(AlertJournal.ReadAll(JournalPath));
        using var journal = new AlertJournal(JournalPath);
        Exception? failure = null;
        using var producer = new ProducerBuilder<byte[], byte[]>(cluster.ProducerConfig("iott-detector"))
            .SetLogHandler((_, m) => LogMessages.KafkaClientLog(log, "detector producer", m.Level.ToString(), m.Message))
            .Build();
        var config = cluster.ConsumerConfig(settings.Detector.GroupId, "iott-detector");
        config.FetchWaitMaxMs = 50;
        var pending = new Dictionary<TopicPartition, Offset>();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetLogHandler((_, m) => LogMessages.KafkaClientLog(log, "detector consumer", m.Level.ToString(), m.Message))
            .SetPartitionsRevokedHandler((c, _) => Checkpoint(c, producer, journal, pending))
            .Build();
        consumer.Subscribe(settings.Topics.Telemetry);
        LogMessages.DetectorStarted(log, settings.Topics.Telemetry, settings.Detector.GroupId, engine.Alerts.OpenCount, JournalPath);
        PublishOpen(engine);

        void Publish(IReadOnlyList<AlertEvent> events)
        {
            foreach (var e in events)
            {
                journal.Append(e);
                producer.Produce(settings.Topics.Alerts, new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes(e.ConditionKey),
                    Value = AlertJson.SerializeToUtf8(e),
                    Timestamp = new Timestamp(e.EventMicros / 1000, TimestampType.CreateTime),
                }, report => { if (report.Error.IsError) failure ??= new KafkaException(report.Error); });
                switch (e.Kind)
                {
                    case AlertEventKind.Raised: metrics.AlertsRaised.Increment(); break;
                    case AlertEventKind.Cleared: metrics.AlertsCleared.Increment(); break;
                    default: metrics.AlertsUpdated.Increment(); break;
                }
                if (e.Kind != AlertEventKind.Updated) LogMessages.Alert(log, e.Kind.ToString().ToLowerInvariant(), e.AlertId, e.Message);
            }
            if (events.Count > 0) PublishOpen(engine);
        }

        var nextCheckpoint = DateTime.UtcNow + settings.Detector.CheckpointInterval;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var cr = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (cr is not null)
                {
                    Reading? reading = null;
                    try { reading = ReadingCodec.Decode(cr.Message.Value); }
                    catch (ReadingFormatException ex)
                    {
                        metrics.Undecodable.Increment();
                        LogMessages.Undecodable(log, cr.Topic, cr.Partition.Value, cr.Offset.Value, ex.Message);
                    }
                    if (reading is not null)
                    {
                        metrics.DetectorReadings.Increment();
                        Publish(engine.Process(reading));
                    }
                    pending[cr.TopicPartition] = cr.Offset + 1;
                }
                if (DateTime.UtcNow >= nextCheckpoint)
                {
                    Publish(engine.Tick());
                    Checkpoint(consumer, producer, journal, pending);
                    if (failure is not null) throw new InvalidOperationException("publishing alerts failed: " + failure.Message, failure);
                    nextCheckpoint = DateTime.UtcNow + settings.Detector.CheckpointInterval;
                }
            }
            Checkpoint(consumer, producer, journal, pending);
        }
        finally
        {
            try { consumer.Close(); } catch (KafkaException) { }
        }
    }

    /// <summary>Alerts acknowledged by Kafka and the journal on disk, then the offsets that produced them committed.</summary>
    private static void Checkpoint(IConsumer<byte[]?, byte[]?> consumer, IProducer<byte[], byte[]> producer, AlertJournal journal,
        Dictionary<TopicPartition, Offset> pending)
    {
        if (producer.Flush(TimeSpan.FromSeconds(30)) > 0) throw new InvalidOperationException("alerts were not acknowledged within 30 s");
        journal.Sync();
        if (pending.Count == 0) return;
        consumer.Commit(pending.Select(kv => new TopicPartitionOffset(kv.Key, kv.Value)));
        pending.Clear();
    }

    private void PublishOpen(AnomalyEngine engine)
    {
        var snapshot = engine.Alerts.Snapshot();
        lock (_openGate) _open = snapshot;
    }
}
