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
/// of its own consumer group like the sink (so both wait out the cluster's initial rebalance delay, about 3 s on the mock
/// cluster), and beside it the same consumer assigned the partitions directly (no group). Then the
/// same topic by a second group into Azurite (the Azure Blob emulator), beside the run to disk.
/// </summary>
internal static class LakeSinkBench
{
    /// <summary>This bench with the hand-written Parquet writer (removed), at commit a1b5ba8 on 2026-12-03, same machine.</summary>
    private const double PreviousRowsPerSecond = 30_521, PreviousSteadyRowsPerSecond = 72_855;

    // librdkafka's mock cluster keeps only so many records per partition (about 55,000 here): stay well below.
    private const int Rows = 200_000;
    private const int Partitions = 8;

    public static async Task RunAsync()
    {
        using var cluster = new MockCluster();
        cluster.CreateTopic("telemetry", Partitions);
        Produce(cluster.BootstrapServers);

        var consumeSeconds = Consume(cluster.BootstrapServers, "bench-baseline", subscribe: true);
        var assignedSeconds = Consume(cluster.BootstrapServers, "bench-baseline-assigned", subscribe: false);

        var disk = await SinkAsync(cluster.BootstrapServers, "iott-lake", new Dictionary<string, string>());
        Report.Table($"Parquet sink end to end: {Rows:N0} readings from the cloud topic ({Partitions} partitions) into the lake, cloud host as a process",
        [
            ("rows/s into the lake (baseline: consume only, group member)", Report.Rate(Rows / disk.Seconds), Report.Rate(Rows / consumeSeconds), Report.Ratio(consumeSeconds, disk.Seconds)),
            ("rows/s into the lake (baseline: consume only, partitions assigned, no group join)", Report.Rate(Rows / disk.Seconds), Report.Rate(Rows / assignedSeconds), Report.Ratio(assignedSeconds, disk.Seconds)),
            ("previous: hand-written writer (a1b5ba8, 2026-12-03), rows/s into the lake", Report.Rate(Rows / disk.Seconds), Report.Rate(PreviousRowsPerSecond), Report.Ratio(Rows / disk.Seconds, PreviousRowsPerSecond)),
            ("previous: steady state", Report.Rate(disk.Steady), Report.Rate(PreviousSteadyRowsPerSecond), Report.Ratio(disk.Steady, PreviousSteadyRowsPerSecond)),
            ("seconds, incl. host start-up (baseline: group member)", disk.Seconds.ToString("0.0", CultureInfo.InvariantCulture), consumeSeconds.ToString("0.0", CultureInfo.InvariantCulture), ""),
            ("rows/s after host start-up", Report.Rate(Rows / Math.Max(0.001, disk.Seconds - disk.StartUp)), "", ""),
            ("rows/s after the first file (steady state)", Report.Rate(disk.Steady), "", ""),
            ("host start-up, first file at, s", string.Create(CultureInfo.InvariantCulture, $"{disk.StartUp:0.0}, {disk.FirstFile:0.0}"), "", ""),
            ("files, bytes", string.Create(CultureInfo.InvariantCulture, $"{disk.Files:0}, {disk.Bytes / 1048576.0:0.0} MiB"), "", ""),
        ]);

        // The same topic again, by a second consumer group, into a container of Azurite (Azure Blob Storage emulator, npm).
        await using var azurite = await AzuriteServer.StartNewAsync();
        var blob = await SinkAsync(cluster.BootstrapServers, "iott-lake-azure", azurite.LakeSettings("bench"));
        Report.Table($"Parquet sink to Azure Blob Storage (Azurite on loopback) beside the sink to disk, same {Rows:N0} readings, same run",
        [
            ("rows/s into the lake, Azurite (baseline: disk)", Report.Rate(Rows / blob.Seconds), Report.Rate(Rows / disk.Seconds), Report.Ratio(disk.Seconds, blob.Seconds)),
            ("rows/s after host start-up", Report.Rate(Rows / Math.Max(0.001, blob.Seconds - blob.StartUp)), Report.Rate(Rows / Math.Max(0.001, disk.Seconds - disk.StartUp)),
                Report.Ratio(Rows / Math.Max(0.001, blob.Seconds - blob.StartUp), Rows / Math.Max(0.001, disk.Seconds - disk.StartUp))),
            ("rows/s after the first file (steady state)", Report.Rate(blob.Steady), Report.Rate(disk.Steady), Report.Ratio(blob.Steady, disk.Steady)),
            ("files, bytes", string.Create(CultureInfo.InvariantCulture, $"{blob.Files:0}, {blob.Bytes / 1048576.0:0.0} MiB"),
                string.Create(CultureInfo.InvariantCulture, $"{disk.Files:0}, {disk.Bytes / 1048576.0:0.0} MiB"), ""),
        ]);
    }

    private sealed record SinkRun(double Seconds, double StartUp, double FirstFile, double Steady, double Files, double Bytes);

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
            ["Lake:MaxRowsPerFile"] = "10000",
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
            // The group join (a few seconds on the mock cluster) ends when the first file lands: steady state from there.
            await metrics.WaitForAsync("iott_cloud_lake_rows_total", 1, TimeSpan.FromSeconds(60));
            var firstFile = clock.Elapsed.TotalSeconds;
            var firstRows = await metrics.GetAsync("iott_cloud_lake_rows_total");
            await metrics.WaitForAsync("iott_cloud_lake_rows_total", Rows, TimeSpan.FromSeconds(180));
            var seconds = clock.Elapsed.TotalSeconds;
            return new SinkRun(seconds, startUp, firstFile, (Rows - firstRows) / Math.Max(0.001, seconds - firstFile),
                await metrics.GetAsync("iott_cloud_lake_files_total"), await metrics.GetAsync("iott_cloud_lake_bytes_total"));
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }

    private static void Produce(string bootstrap)
    {
        using var producer = new ReadingProducer(bootstrap, "telemetry", c => { c.LingerMs = 20; c.BatchSize = 1 << 20; });
        var start = UnixMicros.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        for (var i = 0; i < Rows; i++)
            producer.Send(new Reading("plant-a", $"pump-{i % 50:D2}", $"s{i % 8}", start + i * 10_000L, i * 0.5, Quality.Good, "mm/s", "bench", start + i * 10_000L));
        producer.Flush(TimeSpan.FromSeconds(60));
    }

    /// <summary>Seconds for a consumer that only decodes to read every record: subscribed as a group member, or assigned the partitions.</summary>
    private static double Consume(string bootstrap, string groupId, bool subscribe)
    {
        var clock = Stopwatch.StartNew();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = groupId, EnableAutoCommit = false, FetchWaitMaxMs = 10, AutoOffsetReset = AutoOffsetReset.Earliest,
        }).SetLogHandler((_, _) => { }).Build();
        if (subscribe) consumer.Subscribe("telemetry");
        else consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset("telemetry", p, Offset.Beginning)));
        var seen = 0;
        while (seen < Rows)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"baseline consumer saw {seen} of {Rows} records in 60 s");
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } cr) { _ = ReadingCodec.Decode(cr.Message.Value); seen++; }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        consumer.Close();
        return seconds;
    }
}
