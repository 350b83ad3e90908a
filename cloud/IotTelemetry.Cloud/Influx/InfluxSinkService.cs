using System.Diagnostics;
using Confluent.Kafka;
using InfluxDB.Client.Writes;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace IotTelemetry.Cloud.Influx;

/// <summary>
/// The InfluxDB sink: its own consumer group on the telemetry topic, readings written through InfluxDB.Client's v2
/// write API in batches. Offsets are committed only after InfluxDB accepted the batch; while it is down the batch is retried
/// with backoff and, past <see cref="InfluxOptions.RetryWindow"/>, the consumer starts again from the committed
/// offsets. A batch written again after a failed commit overwrites itself in InfluxDB (same series and timestamp);
/// VictoriaMetrics keeps both copies unless started with <c>-dedup.minScrapeInterval</c>.
/// </summary>
public sealed class InfluxSinkService(IOptions<CloudTopicOptions> topics, InfluxOptions options, KafkaCluster cluster, InfluxMetrics metrics,
    ILogger<InfluxSinkService> log) : BackgroundService
{
    private readonly InfluxWriter _writer = new(options);
    private readonly ResiliencePipeline _retry = RetryPipeline(options, metrics, log);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RestartingLoop.Start(Run, ex => ex is KafkaException or InfluxWriteException or InvalidOperationException,
            (ex, pause) => InfluxLog.LoopFailed(log, ex.Message, pause.TotalSeconds), stoppingToken);

    public override void Dispose()
    {
        _writer.Dispose();
        base.Dispose();
    }

    private void Run(CancellationToken ct)
    {
        var batch = new List<PointData>(options.BatchSize);
        var offsets = new DurableOffsets();
        var oldest = Stopwatch.StartNew();
        var config = cluster.ConsumerConfig(options.GroupId, "iott-influx");
        config.FetchWaitMaxMs = 100;

        void Flush(IConsumer<byte[]?, byte[]?> consumer, CancellationToken writing)
        {
            if (!offsets.HasRead) return;
            if (batch.Count > 0) Write(batch, writing);
            offsets.ReadIsDurable();
            offsets.Commit(consumer);
            batch.Clear();
        }

        new ConsumerSession
        {
            Topic = topics.Value.Telemetry,
            Config = config,
            Client = "influx consumer",
            // Everything read so far is written before partitions move (a failure here restarts from the committed offsets).
            Revoked = (consumer, revoked) => { Flush(consumer, ct); offsets.Forget(revoked); },
            Subscribed = _ => InfluxLog.Started(log, topics.Value.Telemetry, options.GroupId, options.Url, options.Org!, options.Bucket!, options.Measurement),
            Record = (_, cr) =>
            {
                if (!offsets.HasRead) oldest.Restart();
                PointData? point = null;
                try { point = _writer.ToPoint(ReadingCodec.Decode(cr.Message.Value)); }
                catch (ReadingFormatException) { }
                if (point is not null) batch.Add(point);
                else metrics.Skipped.Increment();
                offsets.Read(cr);
            },
            AfterPoll = consumer =>
            {
                if (batch.Count >= options.BatchSize || offsets.HasRead && oldest.Elapsed >= options.FlushInterval) Flush(consumer, ct);
            },
            Stopping = consumer =>
            {
                // What is held is still written (within one request timeout), so an orderly stop leaves nothing behind.
                using var last = new CancellationTokenSource(options.RequestTimeout);
                Flush(consumer, last.Token);
            },
        }.Run(log, ct);
    }

    /// <summary>Writes one batch, retrying transient failures with backoff for up to the retry window.</summary>
    private void Write(List<PointData> points, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(WriteStartedKey, Stopwatch.GetTimestamp());
        context.Properties.Set(PointsKey, points.Count);
        try
        {
            _retry.Execute(c => _writer.Write(points, c.CancellationToken), context);
            var failures = context.Properties.GetValue(FailuresKey, 0);
            if (failures > 0) InfluxLog.Recovered(log, failures);
            metrics.Points.Add(points.Count);
            metrics.Batches.Increment();
        }
        catch (InfluxWriteException ex) when (!ex.IsTransient)
        {
            // Malformed data would be refused forever: count it, say so, and move on.
            metrics.Rejected.Add(points.Count);
            InfluxLog.Rejected(log, points.Count, ex.Message);
        }
        catch (InfluxWriteException)
        {
            // Still failing after Influx:RetryWindow: the consumer starts again from the committed offsets (LoopFailed says why).
            metrics.WriteFailures.Increment();
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static readonly ResiliencePropertyKey<long> WriteStartedKey = new("iott.write-started");
    private static readonly ResiliencePropertyKey<int> FailuresKey = new("iott.failures");
    private static readonly ResiliencePropertyKey<int> PointsKey = new("iott.points");

    /// <summary>
    /// A batch InfluxDB could not take for a passing reason (unreachable, 5xx, 429) is written again, the pause from
    /// 200 ms doubling to Influx:MaxBackoff, for Influx:RetryWindow from the first attempt.
    /// </summary>
    private static ResiliencePipeline RetryPipeline(InfluxOptions options, InfluxMetrics metrics, ILogger log) => Backoff.Doubling(
        TimeSpan.FromMilliseconds(200), options.MaxBackoff,
        (ex, context) => ex is InfluxWriteException { IsTransient: true } &&
            Stopwatch.GetElapsedTime(context.Properties.GetValue(WriteStartedKey, 0L)) < options.RetryWindow,
        args =>
        {
            args.Context.Properties.Set(FailuresKey, args.Context.Properties.GetValue(FailuresKey, 0) + 1);
            metrics.WriteFailures.Increment();
            InfluxLog.WriteFailed(log, args.Context.Properties.GetValue(PointsKey, 0), args.Outcome.Exception!.Message, args.RetryDelay.TotalSeconds);
        });

}
