using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;

namespace IotTelemetry.Benchmarks;

/// <summary>
/// The Kafka client alone: 200,000 idempotent acks=all records of 100 bytes into librdkafka's mock cluster
/// (3 brokers, 8 partitions), median of five runs. Baseline: the figure the previous implementation (Confluent.Kafka
/// 1.9.3 on Debian's librdkafka 2.0.2) gave with this same code, recorded before the change.
/// </summary>
internal static class KafkaBench
{
    private const int Records = 200_000;
    private const int Partitions = 8;
    private const int Runs = 5;

    // This file built against commit a1b5ba8 (Confluent.Kafka 1.9.3, Debian librdkafka 2.0.2) on this machine,
    // 2026-12-03: medians of five of 172,665, 146,217 and 155,753 records/s in three invocations; the middle one.
    private const double PreviousRecordsPerSecond = 155_753;
    private const string PreviousLabel = "previous implementation (recorded): Confluent.Kafka 1.9.3 + Debian librdkafka 2.0.2, a1b5ba8, 2026-12-03";

    public static void Run()
    {
        var rates = Enumerable.Range(0, Runs).Select(_ => ProduceOnce()).Order().ToList();
        var median = rates[Runs / 2];
        Report.Table($"Kafka producer: {Records:N0} records of 100 bytes, idempotent, acks=all, into the mock cluster (3 brokers, {Partitions} partitions); {KafkaLibrary.Description}",
        [
            ("records/s, median of 5 (baseline: previous implementation, recorded)", Report.Rate(median), Report.Rate(PreviousRecordsPerSecond), Report.Ratio(median, PreviousRecordsPerSecond)),
            ("records/s, each run", string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture))), "", ""),
            (PreviousLabel, "", Report.Rate(PreviousRecordsPerSecond), ""),
        ]);
    }

    /// <summary>One run on a fresh cluster; returns records/s from the first produce to the last acknowledgement.</summary>
    public static double ProduceOnce()
    {
        using var cluster = new MockCluster(brokerCount: 3);
        cluster.CreateTopic("bench", Partitions, replicationFactor: 3);
        double seconds;
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers, Acks = Acks.All, EnableIdempotence = true, LingerMs = 5,
        }).SetLogHandler((_, _) => { }).Build())
        {
            var value = new byte[100];
            var keys = Enumerable.Range(0, 64).Select(i => BitConverter.GetBytes(i)).ToArray();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Records; i++)
            {
                // Keyed: a keyless producer's sticky partitioner could overfill one partition beyond what the mock keeps.
                var message = new Message<byte[], byte[]> { Key = keys[i % keys.Length], Value = value };
                while (true)
                {
                    try { producer.Produce("bench", message); break; }
                    catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull) { producer.Poll(TimeSpan.FromMilliseconds(10)); }
                }
            }
            if (producer.Flush(TimeSpan.FromSeconds(120)) > 0) throw new TimeoutException("records not acknowledged within 120 s");
            seconds = clock.Elapsed.TotalSeconds;
        }

        // Every record is there and none was deleted by the mock cluster's retention.
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "bench" })
            .SetLogHandler((_, _) => { }).Build();
        var kept = Enumerable.Range(0, Partitions)
            .Select(p => consumer.QueryWatermarkOffsets(new TopicPartition("bench", p), TimeSpan.FromSeconds(10)))
            .Sum(w => w.Low.Value == 0 ? w.High.Value : throw new InvalidOperationException($"mock cluster deleted records (low watermark {w.Low.Value})"));
        if (kept != Records) throw new InvalidOperationException($"{kept} of {Records} records on the topic");
        consumer.Close();
        return Records / seconds;
    }
}
