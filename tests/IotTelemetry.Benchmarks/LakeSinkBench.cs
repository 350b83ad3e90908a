using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Benchmarks;

/// <summary>
/// The Parquet sink end to end: N readings on a mock cloud telemetry topic into the lake by the cloud host (a process),
/// until iott_cloud_lake_rows_total reaches N; baseline: a plain consumer reading the same topic, writing nothing, as a member
/// of its own consumer group like the sink. Throughput is judged in the steady middle of each run: the rate between 20 % and
/// 80 % of the readings (in the lake, resp. consumed), so neither the host's start, the group join (about 3 s on the mock
/// cluster) nor the sink's last idle flush is counted as throughput; the whole run's rate, start included, is shown beside
/// it. Then the same topic by a second group into Azurite (the Azure Blob emulator), beside the run to disk.
/// </summary>
internal static class LakeSinkBench
{
    /// <summary>This bench with the hand-written Parquet writer (removed), at commit a1b5ba8 on 2026-12-03, same machine.</summary>
    private const double PreviousRowsPerSecond = 30_521, PreviousSteadyRowsPerSecond = 72_855;

    // librdkafka's mock cluster keeps about 5 MiB (some 45,000 of these records) per partition: 4,000 sensor keys over 40
    // partitions put about 25,000 on each.
    private const int Rows = 1_000_000;
    private const int Partitions = 40;
    private const double From = 0.2, To = 0.8;

    public static async Task RunAsync()
    {
        using var cluster = new MockCluster();
        cluster.CreateTopic("telemetry", Partitions);
        Produce(cluster.BootstrapServers);

        var baseline = Consume(cluster.BootstrapServers, "bench-baseline");
        var disk = await SinkAsync(cluster.BootstrapServers, "iott-lake", new Dictionary<string, string>());
        Report.Table($"Parquet sink end to end: {Rows:N0} readings from the cloud topic ({Partitions} partitions) into the lake, cloud host as a process",
        [
            ($"rows/s into the lake, {From:P0} to {To:P0} of the rows (baseline: consume and decode only, group member)", Report.Rate(disk.Steady), Report.Rate(baseline.Steady), Report.Ratio(disk.Steady, baseline.Steady)),
            ("rows/s, whole run incl. host start-up and group join", Report.Rate(Rows / disk.Seconds), Report.Rate(Rows / baseline.Seconds), Report.Ratio(Rows / disk.Seconds, Rows / baseline.Seconds)),
            ("previous: hand-written writer (a1b5ba8, 2026-12-03, 200,000 rows), rows/s whole run", Report.Rate(Rows / disk.Seconds), Report.Rate(PreviousRowsPerSecond), Report.Ratio(Rows / disk.Seconds, PreviousRowsPerSecond)),
            ("previous: steady state (after its first file)", Report.Rate(disk.Steady), Report.Rate(PreviousSteadyRowsPerSecond), Report.Ratio(disk.Steady, PreviousSteadyRowsPerSecond)),
            ("seconds, whole run", F(disk.Seconds), F(baseline.Seconds), ""),
            ("host start-up, first file at, s", string.Create(CultureInfo.InvariantCulture, $"{disk.StartUp:0.0}, {disk.FirstFile:0.0}"), "", ""),
            ("files, bytes", string.Create(CultureInfo.InvariantCulture, $"{disk.Files:0}, {disk.Bytes / 1048576.0:0.0} MiB"), "", ""),
        ]);

        // The same topic again, by a second consumer group, into a container of Azurite (Azure Blob Storage emulator, npm).
        await using var azurite = await AzuriteServer.StartNewAsync();
        var blob = await SinkAsync(cluster.BootstrapServers, "iott-lake-azure", azurite.LakeSettings("bench"));
        Report.Table($"Parquet sink to Azure Blob Storage (Azurite on loopback) beside the sink to disk, same {Rows:N0} readings, same run",
        [
            ($"rows/s into the lake, {From:P0} to {To:P0} of the rows, Azurite (baseline: disk)", Report.Rate(blob.Steady), Report.Rate(disk.Steady), Report.Ratio(blob.Steady, disk.Steady)),
            ("rows/s, whole run", Report.Rate(Rows / blob.Seconds), Report.Rate(Rows / disk.Seconds), Report.Ratio(disk.Seconds, blob.Seconds)),
            ("files, bytes", string.Create(CultureInfo.InvariantCulture, $"{blob.Files:0}, {blob.Bytes / 1048576.0:0.0} MiB"),
                string.Create(CultureInfo.InvariantCulture, $"{disk.Files:0}, {disk.Bytes / 1048576.0:0.0} MiB"), ""),
        ]);
    }

    private static string F(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture);

    private sealed record SinkRun(double Seconds, double StartUp, double FirstFile, double Steady, double Files, double Bytes);

    private sealed record ConsumeRun(double Seconds, double Steady);

    /// <summary>Rows per second between the moments <see cref="From"/> and <see cref="To"/> of the rows were done.</summary>
    private static double Middle(double fromSeconds, double toSeconds) => (To - From) * Rows / Math.Max(0.001, toSeconds - fromSeconds);

    /// <summary>Starts the cloud host with only its sink (no detector, rollups or catalog refresh), as group <paramref name="groupId"/>, and times it to <see cref="Rows"/> rows in the lake.</summary>
    private static async Task<SinkRun> SinkAsync(string bootstrap, string groupId, IDictionary<string, string> store)
    {
        var dataDir = RepoPaths.NewTempDirectory("bench-lake");
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var settings = new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = dataDir,
            ["Cloud:Urls"] = url,
            ["Kafka:Cloud:BootstrapServers"] = bootstrap,
            ["Detector:Enabled"] = "false",
            ["Rollups:Enabled"] = "false", // its own consumer group on the same topic, in the same process: not the sink's work
            ["Lake:CatalogInterval"] = "00:00:00",
            ["Lake:GroupId"] = groupId,
            ["Lake:MaxEventSpan"] = "01:00:00",
            ["Lake:IdleFlush"] = "00:00:01",
            ["Lake:MaxRowsPerFile"] = "5000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in store) settings[k] = v;
        var clock = Stopwatch.StartNew();
        try
        {
            await using var cloud = Programs.Start(Programs.CloudDll, settings);
            var metrics = new HostMetrics(url);
            await cloud.WaitForLineAsync("Now listening", TimeSpan.FromSeconds(60));
            var startUp = clock.Elapsed.TotalSeconds;
            double firstFile = 0, from = 0, to = 0;
            var deadline = clock.Elapsed + TimeSpan.FromSeconds(300);
            while (true)
            {
                var rows = await metrics.GetAsync("iott_cloud_lake_rows_total");
                var now = clock.Elapsed.TotalSeconds;
                if (rows > 0 && firstFile == 0) firstFile = now;
                if (rows >= From * Rows && from == 0) from = now;
                if (rows >= To * Rows && to == 0) to = now;
                if (rows >= Rows) break;
                if (clock.Elapsed > deadline) throw new TimeoutException($"the sink wrote {rows:N0} of {Rows:N0} rows in 300 s");
                await Task.Delay(20); // sampling the metric, not waiting for a condition
            }
            var seconds = clock.Elapsed.TotalSeconds;
            return new SinkRun(seconds, startUp, firstFile, Middle(from, to),
                await metrics.GetAsync("iott_cloud_lake_files_total"), await metrics.GetAsync("iott_cloud_lake_bytes_total"));
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }

    private static void Produce(string bootstrap)
    {
        // A plain producer, not the test kit's ReadingProducer: that one keeps every reading it wrote, and a million of them in
        // this process would weigh on the baseline consumer's GC.
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap, Acks = Acks.All, EnableIdempotence = true, LingerMs = 20, BatchSize = 1 << 20,
        }).SetLogHandler((_, _) => { }).Build();
        var start = UnixMicros.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        for (var i = 0; i < Rows; i++)
        {
            var r = new Reading("plant-a", $"pump-{i % 500:D3}", $"s{i / 500 % 8}", start + i * 1_000L, i * 0.5, Quality.Good, "mm/s", "bench", start + i * 1_000L);
            while (true)
            {
                try { producer.Produce("telemetry", new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(r.Key), Value = ReadingCodec.Encode(r) }); break; }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull) { producer.Poll(TimeSpan.FromMilliseconds(50)); }
            }
        }
        if (producer.Flush(TimeSpan.FromSeconds(120)) > 0) throw new TimeoutException("readings not acknowledged within 120 s");
    }

    /// <summary>A consumer that only decodes, as a member of group <paramref name="groupId"/>, reading every record.</summary>
    private static ConsumeRun Consume(string bootstrap, string groupId)
    {
        var clock = Stopwatch.StartNew();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = groupId, EnableAutoCommit = false, FetchWaitMaxMs = 10, AutoOffsetReset = AutoOffsetReset.Earliest,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe("telemetry");
        var seen = 0;
        double from = 0, to = 0;
        while (seen < Rows)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(300)) throw new TimeoutException($"baseline consumer saw {seen} of {Rows} records in 300 s");
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { } cr) continue;
            _ = ReadingCodec.Decode(cr.Message.Value);
            seen++;
            if (seen == (int)(From * Rows)) from = clock.Elapsed.TotalSeconds;
            if (seen == (int)(To * Rows)) to = clock.Elapsed.TotalSeconds;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        consumer.Close();
        return new ConsumeRun(seconds, Middle(from, to));
    }
}
