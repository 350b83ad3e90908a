using Confluent.Kafka;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Lake;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ParquetSharp;

namespace IotTelemetry.Cloud.Lake;

/// <summary>
/// The Parquet sink: a consumer group on the telemetry topic that batches each Kafka partition's readings
/// and writes them as Parquet files in a Hive layout by event time. A partition's offset is committed only
/// after its files are complete and committed in the store; its <see cref="LakeIntent"/> makes the resume point
/// exact even when the process dies between the store's commit and Kafka's.
/// </summary>
public sealed class ParquetSinkService(IOptions<CloudHostOptions> host, IOptions<CloudTopicOptions> topics, IOptions<LakeOptions> lake, KafkaCluster cluster, CloudMetrics metrics, ILogger<ParquetSinkService> log)
    : BackgroundService
{
    /// <summary>
    /// The raw readings in the configured store (<c>Lake:Root</c> under <c>Cloud:DataDir</c>, or in the <c>Lake:Store</c>
    /// container): opened inside the loop, so an unreachable blob service is retried like any other outage.
    /// </summary>
    private LakeDataset OpenDataset() => LakeStores.OpenDataset(lake.Value.Store, host.Value.DataPath, lake.Value.Root);

    /// <summary>
    /// Failures that end one session of the sink, not the process: the cluster, the store, and the Parquet writer, whose
    /// <see cref="ParquetException"/> carries the file system's errors (<c>No space left on device</c> on a full disk).
    /// The next session resumes from the committed offsets and the intents after a growing pause; the other services
    /// keep running meanwhile.
    /// </summary>
    internal static bool IsRestartable(Exception ex) =>
        ex is KafkaException or IOException or InvalidDataException or InvalidOperationException or UnauthorizedAccessException or ParquetException;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RestartingLoop.Start(Run, IsRestartable, (ex, pause) =>
        {
            metrics.LoopFailures("lake").Increment();
            LogMessages.LoopFailed(log, "Parquet sink", ex.Message, pause.TotalSeconds);
        }, stoppingToken);

    private void Run(CancellationToken ct)
    {
        var options = lake.Value;
        var dataset = OpenDataset();
        var writer = new LakeWriter(dataset, options);
        var batches = new Dictionary<int, LakeBatch>();
        var lineage = new RecordLineage();
        var continuity = new OffsetContinuity();
        var topic = topics.Value.Telemetry;
        var config = cluster.ConsumerConfig(options.GroupId, "iott-lake");
        config.FetchWaitMaxMs = 100;
        using var deadLetters = new LakeDeadLetters(cluster, topics.Value.DeadLetter, metrics, log);
        var nextIdleCheck = Environment.TickCount64 + 1000; // per poll: a tick count is far cheaper than DateTime.UtcNow
        new ConsumerSession
        {
            Topic = topic,
            Config = config,
            Client = "lake consumer",
            // A crash may have come between the intent and the commits: the intent says where the partition resumes.
            Assigned = (c, partitions) =>
            {
                var starts = LakeResume.Assigned(dataset, c, partitions, p => batches[p] = new LakeBatch(topic, p)).ToList();
                foreach (var start in starts) continuity.Expect(start.Partition.Value, start.Offset.Value);
                return starts;
            },
            Revoked = (_, partitions) =>
            {
                // Unwritten rows of a revoked partition are dropped: its next owner reads them again from the committed offset.
                foreach (var tpo in partitions) { batches.Remove(tpo.Partition.Value); continuity.Forget(tpo.Partition.Value); }
            },
            Subscribed = _ => LogMessages.SinkStarted(log, topic, options.GroupId, dataset.Location),
            Record = (consumer, cr) =>
            {
                if (!batches.TryGetValue(cr.Partition.Value, out var batch)) return;
                if (continuity.Received(cr.Partition.Value, cr.Offset.Value) is { } missingFrom)
                {
                    // The cluster deleted them (retention) before this sink read them: counted and said, never hidden.
                    metrics.LakeMissing.Add(cr.Offset.Value - missingFrom);
                    LogMessages.SinkMissing(log, topic, cr.Partition.Value, missingFrom, cr.Offset.Value - 1, cr.Offset.Value - missingFrom, cr.Offset.Value);
                }
                Reading? reading = null;
                LakeRejection? rejection;
                try
                {
                    reading = ReadingCodec.Decode(cr.Message.Value);
                    rejection = LakeRejection.Check(reading);
                }
                catch (ReadingFormatException ex)
                {
                    metrics.Undecodable.Increment();
                    rejection = new LakeRejection(LakeRejection.Undecodable, ex.Message);
                }
                if (rejection is not null)
                {
                    // Committed with its batch, which waits for the dead letter's acknowledgement first.
                    deadLetters.Send(cr, rejection);
                    batch.Cover(cr.Offset.Value);
                }
                else if (reading is not null)
                {
                    if (batch.WouldSpanBeyond(reading, options.MaxEventSpan)) Close(consumer, writer, deadLetters, batch);
                    batch.Add(reading, cr.Offset.Value, cr.Message.Value?.Length ?? 0, lineage.Read(cr.Message.Headers));
                    if (batch.Rows >= options.MaxRowsPerFile || batch.Bytes >= options.MaxBytesPerFile) Close(consumer, writer, deadLetters, batch);
                }
            },
            AfterPoll = consumer =>
            {
                if (Environment.TickCount64 < nextIdleCheck) return;
                foreach (var b in batches.Values)
                    if (!b.IsEmpty && b.IdleFor >= options.IdleFlush) Close(consumer, writer, deadLetters, b);
                nextIdleCheck = Environment.TickCount64 + 1000;
            },
            // Clean shutdown: everything read is written.
            Stopping = consumer => { foreach (var b in batches.Values) Close(consumer, writer, deadLetters, b); },
        }.Run(log, ct);
    }

    private void Close(IConsumer<byte[]?, byte[]?> consumer, LakeWriter writer, LakeDeadLetters deadLetters, LakeBatch batch)
    {
        if (batch.IsEmpty) return;
        // The intent written below moves the resume point past the batch: every dead letter in it must be durable first.
        deadLetters.WaitForAcknowledgements(TimeSpan.FromSeconds(30), CancellationToken.None);
        foreach (var (location, rows, bytes) in writer.Write(batch, (partition, rows) =>
                 {
                     metrics.LakeTombstoned.Add(rows);
                     LogMessages.SinkTombstoned(log, rows, partition.RelativeDirectory);
                 }))
        {
            metrics.LakeFiles.Increment();
            metrics.LakeRows.Add(rows);
            metrics.LakeBytes.Add(bytes);
            LogMessages.FileWritten(log, location, rows, bytes, batch.FirstOffset, batch.LastOffset, batch.Partition);
        }
        LakeResume.Commit(consumer, batch.Topic, batch.Partition, batch.LastOffset, reason => LogMessages.LoopFailed(log, "Parquet sink commit", reason, 0));
        batch.Reset();
    }
}
