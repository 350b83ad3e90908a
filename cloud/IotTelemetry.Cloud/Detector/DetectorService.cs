using System.Text;
using Confluent.Kafka;
using IotTelemetry.Anomaly;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IotTelemetry.Cloud.Detector;

/// <summary>
/// The anomaly detector: a consumer group on the telemetry topic. Every reading goes through the
/// <see cref="AnomalyEngine"/>; each raise, update and clear is published to the alerts topic and appended to
/// the journal. Offsets are committed only after the alerts they produced are acknowledged and the journal
/// is on disk. Open alerts are restored from the journal at start, so a restart neither raises an open alert
/// again nor forgets to clear it. An event is journaled before it is sent, so a crash can leave it in the journal
/// and off the topic (a gap raised or cleared by the clock is tied to no offset that would replay it): at start,
/// journal events after the published mark that the topic lacks are sent again, identified by kind, alert id and
/// event time, before anything is consumed.
/// </summary>
public sealed class DetectorService(IOptions<CloudHostOptions> host, IOptions<CloudTopicOptions> topics, IOptions<DetectorOptions> detector, IOptions<AnomalyOptions> anomaly, KafkaCluster cluster, CloudMetrics metrics, ILogger<DetectorService> log)
    : BackgroundService
{
    private readonly object _openGate = new();
    private IReadOnlyList<AlertEvent> _open = [];

    /// <summary>A snapshot of the open alerts, for the health view.</summary>
    public IReadOnlyList<AlertEvent> OpenAlerts { get { lock (_openGate) return _open; } }

    public string JournalPath => Path.Combine(host.Value.DataPath, detector.Value.Journal);

    /// <summary>The model snapshot, or null when none is kept.</summary>
    public string? ModelsPath => detector.Value.Models.Length == 0 ? null : Path.Combine(host.Value.DataPath, detector.Value.Models);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RestartingLoop.Start(Run, ex => ex is KafkaException or IOException or InvalidOperationException,
            (ex, pause) =>
            {
                metrics.LoopFailures("detector").Increment();
                LogMessages.LoopFailed(log, "Detector", ex.Message, pause.TotalSeconds);
            }, stoppingToken);

    private void Run(CancellationToken ct)
    {
        var engine = new AnomalyEngine(anomaly.Value);
        // Readings of an asset up to its last alert event in the history were judged before (by this detector before a
        // restart, or by another instance before a rebalance): replaying them must not raise or clear anything again.
        var judgedUntil = new Dictionary<(string Site, string Asset), long>();
        void Restore(List<AlertEvent> history)
        {
            engine.Restore(history);
            foreach (var e in history)
                if (e.Rule != RuleNames.Gap && (!judgedUntil.TryGetValue((e.Site, e.Asset), out var t) || e.EventMicros > t)) // gap events carry the clock's time
                    judgedUntil[(e.Site, e.Asset)] = e.EventMicros;
        }
        Restore(AlertJournal.ReadAll(JournalPath));
        RestoreModels(engine);
        using var journal = new AlertJournal(JournalPath);
        Exception? failure = null;
        using var producer = KafkaClients.Producer<byte[], byte[]>(cluster.ProducerConfig("iott-detector"), log, "detector producer").Build();
        ResendUnpublished(producer, journal);
        var config = cluster.ConsumerConfig(detector.Value.GroupId, "iott-detector");
        config.FetchWaitMaxMs = 50;
        var offsets = new DurableOffsets();

        void Publish(IReadOnlyList<AlertEvent> events)
        {
            foreach (var e in events)
            {
                journal.Append(e);
                Send(producer, e, error => failure ??= new KafkaException(error));
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

        var nextCheckpoint = DateTime.UtcNow + detector.Value.CheckpointInterval;
        var nextModels = DateTime.UtcNow + detector.Value.ModelInterval;
        new ConsumerSession
        {
            Topic = topics.Value.Telemetry,
            Config = config,
            Client = "detector consumer",
            Revoked = (c, revoked) =>
            {
                Checkpoint(c, producer, journal, offsets, () => failure);
                offsets.Forget(revoked);
            },
            // Sensors of newly assigned partitions may have alerts another instance opened: the alerts topic has them.
            Assigned = (_, partitions) =>
            {
                Restore(ReadAlertsTopic());
                RestoreModels(engine);
                PublishOpen(engine);
                return partitions.Select(tp => new TopicPartitionOffset(tp, Offset.Unset));
            },
            Subscribed = _ =>
            {
                LogMessages.DetectorStarted(log, topics.Value.Telemetry, detector.Value.GroupId, engine.Alerts.OpenCount, JournalPath);
                PublishOpen(engine);
            },
            Record = (_, cr) =>
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
                    if (judgedUntil.TryGetValue((reading.Site, reading.Asset), out var until) && reading.TimestampMicros <= until)
                        metrics.DetectorReplayed.Increment();
                    else
                        Publish(engine.Process(reading));
                }
                offsets.Read(cr);
            },
            AfterPoll = c =>
            {
                if (DateTime.UtcNow < nextCheckpoint) return;
                Publish(engine.Tick());
                Checkpoint(c, producer, journal, offsets, () => failure);
                if (failure is not null) throw new InvalidOperationException("publishing alerts failed: " + failure.Message, failure);
                nextCheckpoint = DateTime.UtcNow + detector.Value.CheckpointInterval;
                if (DateTime.UtcNow >= nextModels)
                {
                    SaveModels(engine);
                    nextModels = DateTime.UtcNow + detector.Value.ModelInterval;
                }
            },
            Stopping = c =>
            {
                Checkpoint(c, producer, journal, offsets, () => failure);
                SaveModels(engine);
            },
        }.Run(log, ct);
    }

    /// <summary>
    /// Every alert event on the alerts topic up to its current end, partition by partition (one condition's events
    /// share a key, so they are in one partition, in order): the history a restore replays.
    /// </summary>
    private List<AlertEvent> ReadAlertsTopic()
    {
        var config = cluster.ConsumerConfig("iott-detector-restore-" + Guid.NewGuid().ToString("N"), "iott-detector-restore");
        using var reader = KafkaClients.Consumer<Ignore, byte[]>(config, log, "detector restore reader").Build();
        var events = new List<AlertEvent>();
        var topic = topics.Value.Alerts;
        using var admin = new DependentAdminClientBuilder(reader.Handle).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(30)).Topics.Single().Partitions.Select(p => p.PartitionId).ToList();
        foreach (var partition in partitions)
        {
            var tp = new TopicPartition(topic, partition);
            var marks = reader.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(30));
            if (marks.High.Value <= marks.Low.Value) continue;
            reader.Assign(new TopicPartitionOffset(tp, marks.Low));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            long next = marks.Low.Value;
            while (next < marks.High.Value && DateTime.UtcNow < deadline)
            {
                var cr = reader.Consume(TimeSpan.FromMilliseconds(200));
                if (cr is null) continue;
                next = cr.Offset.Value + 1;
                try { events.Add(AlertJson.Deserialize(cr.Message.Value)); }
                catch (System.Text.Json.JsonException) { }
            }
            if (next < marks.High.Value) throw new InvalidOperationException($"reading {topic}[{partition}] to restore open alerts took longer than 60 s");
        }
        return events;
    }

    private void Send(IProducer<byte[], byte[]> producer, AlertEvent e, Action<Error> onError) =>
        producer.Produce(topics.Value.Alerts, new Message<byte[], byte[]>
        {
            Key = Encoding.UTF8.GetBytes(e.ConditionKey),
            Value = AlertJson.SerializeToUtf8(e),
            Timestamp = new Timestamp(e.EventMicros / 1000, TimestampType.CreateTime),
        }, report => { if (report.Error.IsError) onError(report.Error); });

    /// <summary>What makes one alert event recognisable on the topic after it was sent again.</summary>
    internal static string Identity(AlertEvent e) => $"{e.Kind} {e.AlertId} @{e.EventMicros}";

    /// <summary>
    /// Journal events beyond the published mark that are not on the alerts topic (journaled, then a crash before
    /// their acknowledgement), sent again and acknowledged; then the mark moves to the journal's end.
    /// </summary>
    private void ResendUnpublished(IProducer<byte[], byte[]> producer, AlertJournal journal)
    {
        var end = journal.Length;
        var unconfirmed = AlertJournal.ReadFrom(JournalPath, journal.Published).Where(e => e.Kind != AlertEventKind.Acknowledged).ToList();
        if (unconfirmed.Count > 0)
        {
            var onTopic = ReadAlertsTopic().Select(Identity).ToHashSet();
            var missing = unconfirmed.Where(e => !onTopic.Contains(Identity(e))).ToList();
            Error? failed = null;
            foreach (var e in missing) Send(producer, e, error => failed ??= error);
            if (producer.Flush(TimeSpan.FromSeconds(30)) > 0 || failed is not null)
                throw new InvalidOperationException("alert events missing from the alerts topic were not acknowledged: " + (failed?.Reason ?? "30 s passed"));
            metrics.AlertsResent.Add(missing.Count);
            LogMessages.AlertsResent(log, missing.Count, unconfirmed.Count, JournalPath);
        }
        journal.MarkPublished(end);
    }

    /// <summary>
    /// Alerts acknowledged by Kafka and the journal on disk, then the journal's published mark moved and the offsets
    /// that produced them committed.
    /// </summary>
    private static void Checkpoint(IConsumer<byte[]?, byte[]?> consumer, IProducer<byte[], byte[]> producer, AlertJournal journal,
        DurableOffsets offsets, Func<Exception?> failure)
    {
        var sent = journal.Length; // every event appended so far has been given to the producer
        if (producer.Flush(TimeSpan.FromSeconds(30)) > 0) throw new InvalidOperationException("alerts were not acknowledged within 30 s");
        // A refused event stays beyond the mark (sent again at the next start) and its offsets uncommitted.
        if (failure() is { } failed) throw new InvalidOperationException("publishing alerts failed: " + failed.Message, failed);
        journal.Sync();
        journal.MarkPublished(sent);
        offsets.ReadIsDurable();
        offsets.Commit(consumer);
    }

    /// <summary>Writes the model snapshot whole (temporary file, flushed to disk, then renamed over the old one).</summary>
    private void SaveModels(AnomalyEngine engine)
    {
        if (ModelsPath is not { } path) return;
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            engine.SaveModels(file);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Models of sensors and assets the engine does not know yet, from the snapshot; a damaged snapshot is
    /// logged and the models learn afresh.</summary>
    private void RestoreModels(AnomalyEngine engine)
    {
        if (ModelsPath is not { } path || !File.Exists(path)) return;
        try
        {
            using var file = File.OpenRead(path);
            LogMessages.ModelsRestored(log, engine.RestoreModels(file), path);
        }
        catch (InvalidDataException e)
        {
            LogMessages.ModelsUnreadable(log, path, e.Message);
        }
    }

    private void PublishOpen(AnomalyEngine engine)
    {
        var snapshot = engine.Alerts.Snapshot();
        lock (_openGate) _open = snapshot;
    }
}
