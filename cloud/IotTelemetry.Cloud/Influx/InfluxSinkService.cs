using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using IotTelemetry.Cloud.Influx.Internal;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Influx;

/// <summary>
/// The InfluxDB sink: its own consumer group on the telemetry topic, readings written as line protocol in
/// batches. Offsets are committed only after InfluxDB accepted the batch; while it is down the batch is retried
/// with backoff and, past <see cref="InfluxOptions.RetryWindow"/>, the consumer starts again from the committed
/// offsets. A point written twice overwrites itself (same series and timestamp), so nothing is doubled.
/// </summary>
public sealed class InfluxSinkService(CloudSettings settings, InfluxOptions options, KafkaCluster cluster, InfluxMetrics metrics,
    ILogger<InfluxSinkService> log) : BackgroundService
{
    private readonly InfluxClient _client = new(options);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RestartingLoop.Start(ct => Run(_client, ct), ex => ex is KafkaException or InfluxWriteException or InvalidOperationException,
            (ex, pause) => InfluxLog.LoopFailed(log, ex.Message, pause.TotalSeconds), stoppingToken);

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    private void Run(InfluxClient client, CancellationToken ct)
    {
        var topic = settings.Topics.Telemetry;
        var batch = new StringBuilder();
        var points = 0;
        var pending = new Dictionary<TopicPartition, Offset>();
        var oldest = Stopwatch.StartNew();
        var config = cluster.ConsumerConfig(options.GroupId, "iott-influx");
        config.FetchWaitMaxMs = 100;
        IConsumer<byte[]?, byte[]?>? self = null;

        void Flush()
        {
            if (pending.Count == 0) return;
            if (points > 0) Write(client, batch.ToString(), points, ct);
            self!.Commit(pending.Select(kv => new TopicPartitionOffset(kv.Key, kv.Value)));
            batch.Clear();
            points = 0;
            pending.Clear();
        }

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetLogHandler((_, m) => InfluxLog.KafkaClientLog(log, "influx consumer", m.Level.ToString(), m.Message))
            // Everything read so far is written before partitions move (a failure here restarts from the committed offsets).
            .SetPartitionsRevokedHandler((_, _) => Flush())
            .Build();
        self = consumer;
        if (options.ApiVersion == 1 && options.CreateDatabase) CreateDatabase(client, ct);
        consumer.Subscribe(topic);
        InfluxLog.Started(log, topic, options.GroupId, options.Url, options.ApiVersion, options.Measurement);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var cr = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (cr is not null)
                {
                    if (pending.Count == 0) oldest.Restart();
                    Reading? reading = null;
                    try { reading = ReadingCodec.Decode(cr.Message.Value); }
                    catch (ReadingFormatException) { metrics.Skipped.Increment(); }
                    if (reading is not null)
                    {
                        if (LineProtocol.Append(batch, options.Measurement, reading)) points++;
                        else metrics.Skipped.Increment();
                    }
                    pending[cr.TopicPartition] = cr.Offset + 1;
                }
                if (points >= options.BatchSize || pending.Count > 0 && oldest.Elapsed >= options.FlushInterval) Flush();
            }
            Flush();
        }
        finally
        {
            try { consumer.Close(); } catch (KafkaException) { }
        }
    }

    private void CreateDatabase(InfluxClient client, CancellationToken ct)
    {
        var pause = TimeSpan.FromMilliseconds(200);
        var failures = 0;
        while (true)
        {
            try
            {
                client.CreateDatabaseAsync(ct).GetAwaiter().GetResult();
                return;
            }
            catch (InfluxWriteException ex) when (ex.IsTransient)
            {
                failures++;
                metrics.WriteFailures.Increment();
                InfluxLog.WriteFailed(log, 0, ex.Message, pause.TotalSeconds);
                if (ct.WaitHandle.WaitOne(pause)) throw new OperationCanceledException(ct);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, options.MaxBackoff.Ticks));
                if (failures > 1000) throw;
            }
        }
    }

    /// <summary>Writes one batch, retrying transient failures with backoff for up to the retry window.</summary>
    private void Write(InfluxClient client, string lines, int count, CancellationToken ct)
    {
        var pause = TimeSpan.FromMilliseconds(200);
        var window = Stopwatch.StartNew();
        var failures = 0;
        while (true)
        {
            try
            {
                client.WriteAsync(lines, ct).GetAwaiter().GetResult();
                if (failures > 0) InfluxLog.Recovered(log, failures);
                metrics.Points.Add(count);
                metrics.Batches.Increment();
                return;
            }
            catch (InfluxWriteException ex) when (!ex.IsTransient)
            {
                // Malformed data would be refused forever: count it, say so, and move on.
                metrics.Rejected.Add(count);
                InfluxLog.Rejected(log, count, ex.Message);
                return;
            }
            catch (InfluxWriteException ex)
            {
                failures++;
                metrics.WriteFailures.Increment();
                InfluxLog.WriteFailed(log, count, ex.Message, pause.TotalSeconds);
                if (window.Elapsed >= options.RetryWindow) throw;
                if (ct.WaitHandle.WaitOne(pause)) throw new OperationCanceledException(ct);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, options.MaxBackoff.Ticks));
            }
        }
    }
}
