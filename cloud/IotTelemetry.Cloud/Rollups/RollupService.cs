using Confluent.Kafka;
using IotTelemetry.Cloud.Lake;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Lake;
using IotTelemetry.Lake.Rollups;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ParquetSharp;

namespace IotTelemetry.Cloud.Rollups;

/// <summary>
/// The rollup writer: its own consumer group on the telemetry topic (<c>Rollups:GroupId</c>), independent of the raw
/// sink, that folds each Kafka partition's readings into 1-minute and 1-hour partial aggregates and writes them as
/// rollup files. Exactly once by the raw sink's protocol: deterministic names from offsets, an intent before the
/// renames, the offset commit after; on assignment an intent is finished and the partition resumes after it.
/// A late reading is simply one more partial for its interval in a later file. Records the raw sink dead-letters
/// (undecodable, not representable in the lake) are skipped here by the same checks, so both datasets hold the same readings.
/// </summary>
public sealed class RollupService(IOptions<CloudHostOptions> host, IOptions<CloudTopicOptions> topics, IOptions<LakeOptions> lake, IOptions<RollupOptions> rollups, KafkaCluster cluster, CloudMetrics metrics, ILogger<RollupService> log)
    : BackgroundService
{
    /// <summary>
    /// The rollup datasets, beside the raw readings in the same store (<c>rollup-1m</c> and <c>rollup-1h</c> beside
    /// <c>Lake:Root</c>, on disk or in the <c>Lake:Store</c> container): opened inside the loop, so an unreachable blob
    /// service is retried like any other outage.
    /// </summary>
    private RollupFiles OpenFiles() => RollupFiles.Beside(LakeStores.OpenDataset(lake.Value.Store, host.Value.DataPath, lake.Value.Root));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RestartingLoop.Start(Run, ex => ex is KafkaException or IOException or InvalidDataException or InvalidOperationException or UnauthorizedAccessException or ParquetException,
            (ex, pause) => LogMessages.LoopFailed(log, "Rollup writer", ex.Message, pause.TotalSeconds), stoppingToken);

    private void Run(CancellationToken ct)
    {
        var options = rollups.Value;
        var files = OpenFiles();
        var writer = new RollupWriter(files, options);
        var batches = new Dictionary<int, RollupBatch>();
        var topic = topics.Value.Telemetry;
        var config = cluster.ConsumerConfig(options.GroupId, "iott-rollups");
        config.FetchWaitMaxMs = 100;
        var nextIdleCheck = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        new ConsumerSession
        {
            Topic = topic,
            Config = config,
            Client = "rollup consumer",
            Assigned = (c, partitions) => LakeResume.Assigned(writer.IntentDataset, c, partitions, p => batches[p] = new RollupBatch(topic, p)),
            Revoked = (_, partitions) =>
            {
                foreach (var tpo in partitions) batches.Remove(tpo.Partition.Value); // the next owner folds them in from the committed offset
            },
            Subscribed = _ => LogMessages.RollupsStarted(log, topic, options.GroupId,
                files.Dataset(RollupTier.Minute).Location + ", " + files.Dataset(RollupTier.Hour).Location),
            Record = (consumer, cr) =>
            {
                if (!batches.TryGetValue(cr.Partition.Value, out var batch)) return;
                Reading? reading = null;
                try
                {
                    reading = ReadingCodec.Decode(cr.Message.Value);
                    if (LakeRejection.Check(reading) is not null) reading = null;
                }
                catch (ReadingFormatException)
                {
                    // The raw sink dead-letters it and counts it; here it only moves the offset on.
                }
                if (reading is null) batch.Cover(cr.Offset.Value);
                else
                {
                    if (batch.WouldSpanBeyond(reading, options.MaxEventSpan)) Close(consumer, writer, batch);
                    batch.Add(reading, cr.Offset.Value);
                    if (batch.Readings >= options.MaxReadingsPerBatch) Close(consumer, writer, batch);
                }
            },
            AfterPoll = consumer =>
            {
                if (DateTime.UtcNow < nextIdleCheck) return;
                foreach (var b in batches.Values)
                    if (!b.IsEmpty && DateTime.UtcNow - b.LastAppendUtc >= options.IdleFlush) Close(consumer, writer, b);
                nextIdleCheck = DateTime.UtcNow + TimeSpan.FromSeconds(1);
            },
            // Clean shutdown: everything read is written.
            Stopping = consumer => { foreach (var b in batches.Values) Close(consumer, writer, b); },
        }.Run(log, ct);
    }

    private void Close(IConsumer<byte[]?, byte[]?> consumer, RollupWriter writer, RollupBatch batch)
    {
        if (batch.IsEmpty) return;
        foreach (var (path, rows, bytes) in writer.Write(batch, (partition, rows) =>
                 {
                     metrics.RollupTombstoned.Add(rows);
                     LogMessages.RollupTombstoned(log, rows, partition);
                 }))
        {
            metrics.RollupFiles.Increment();
            metrics.RollupRows.Add(rows);
            LogMessages.RollupWritten(log, path, rows, bytes, batch.FirstOffset, batch.LastOffset, batch.Partition);
        }
        metrics.RollupReadings.Add(batch.Readings);
        LakeResume.Commit(consumer, batch.Topic, batch.Partition, batch.LastOffset, reason => LogMessages.LoopFailed(log, "Rollup writer commit", reason, 0));
        batch.Reset();
    }
}
