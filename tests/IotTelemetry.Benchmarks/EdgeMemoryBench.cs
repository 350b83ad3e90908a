using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Simulator;
using IotTelemetry.TestKit;
using MQTTnet.Protocol;

namespace IotTelemetry.Benchmarks;

/// <summary>
/// The edge agent's resident memory at 20,000 readings/s over MQTT: a steady stretch, a cloud outage (every broker of
/// the cloud mock cluster down, the mirror buffering in the edge topic) and the catch-up after it, VmRSS sampled every
/// 250 ms. Baseline in the same run: the same agent started with the settings it had before the memory work (Server
/// GC, librdkafka's queue and fetch defaults), and mosquitto's own RSS under the same stream.
/// </summary>
internal static class EdgeMemoryBench
{
    private const int Rate = 20_000;
    private const int Assets = 200, SensorsPerAsset = 5; // one MQTT message per asset and tick: 4,000 messages/s
    private const int Partitions = 24;
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(30), Outage = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(180), Sample = TimeSpan.FromMilliseconds(250);
    private const double TargetMb = 150;

    /// <summary>
    /// What the agent ran with before: the Web SDK's Server GC and librdkafka's defaults for what the new defaults bound
    /// (README: Memory). Passed as settings, so the same build is measured both ways.
    /// </summary>
    private static readonly Dictionary<string, string> PreviousSettings = new()
    {
        ["Kafka:Edge:Properties:queue.buffering.max.kbytes"] = "1048576",
        ["Kafka:Edge:Properties:fetch.max.bytes"] = "52428800",
        ["Kafka:Edge:Properties:queued.max.messages.kbytes"] = "65536",
        ["Kafka:Edge:Properties:max.partition.fetch.bytes"] = "1048576",
        ["Kafka:Cloud:Properties:queue.buffering.max.kbytes"] = "1048576",
        ["Kafka:Cloud:Properties:fetch.max.bytes"] = "52428800",
        ["Kafka:Cloud:Properties:queued.max.messages.kbytes"] = "65536",
        ["Kafka:Cloud:Properties:max.partition.fetch.bytes"] = "1048576",
        ["Mirror:MaxQueuedMessages"] = "50000",
        ["Mirror:MaxQueuedKbytes"] = "16384",
        ["Mirror:PrefetchKbytes"] = "8192",
        ["Duplicates:Window"] = "200000",
    };

    /// <summary>Server GC with dynamic PGO, no conserve-memory goal and the runtime's gen0 budget, and glibc's own arena limit (8 per core), which the agent no longer uses when MALLOC_ARENA_MAX is set.</summary>
    private static readonly Dictionary<string, string?> PreviousEnvironment = new()
    {
        ["DOTNET_gcServer"] = "1", ["DOTNET_TieredPGO"] = "1", ["DOTNET_GCConserveMemory"] = "0",
        ["DOTNET_GCgen0size"] = "0", // the runtime's own gen0 budget: set, so the agent does not execute itself again with 2 MiB
        ["MALLOC_ARENA_MAX"] = (8 * Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Only the agent with its defaults (ARGS=edgemem-ours): a shorter look while tuning, no baseline.</summary>
    public static async Task RunOursAsync()
    {
        var ours = await RunAgentAsync("new defaults", [], []);
        foreach (var phase in new[] { "steady", "outage", "catch-up", "whole run" }) Console.WriteLine($"{phase}: {ours.Agent.Of(phase).Describe()}");
    }

    public static async Task RunAsync()
    {
        var ours = await RunAgentAsync("new defaults", [], []);
        var previous = await RunAgentAsync("previous settings", PreviousSettings, PreviousEnvironment);
        var rows = new List<(string, string, string, string)>();
        foreach (var phase in new[] { "steady", "outage", "catch-up", "whole run" })
        {
            var o = ours.Agent.Of(phase);
            var p = previous.Agent.Of(phase);
            rows.Add(($"edge agent RSS, {phase}: p50 / p95 / peak (baseline: previous settings)", o.Describe(), p.Describe(), Report.Ratio(o.Peak, p.Peak)));
        }
        rows.Add(("edge agent RSS peak vs mosquitto's peak under the same stream (baseline: mosquitto)", Mb(ours.Agent.Of("whole run").Peak),
            Mb(ours.Broker.Of("whole run").Peak), Report.Ratio(ours.Agent.Of("whole run").Peak, ours.Broker.Of("whole run").Peak)));
        rows.Add(($"target: peak < {TargetMb:0} MB in every phase", ours.Agent.Of("whole run").Peak < TargetMb * 1e6 ? "met" : "NOT met", "", ""));
        rows.Add(("readings offered / reached the cloud topic (baseline: previous settings)", $"{ours.Offered:N0} / {ours.Mirrored:N0}",
            $"{previous.Offered:N0} / {previous.Mirrored:N0}", ""));
        rows.Add(("offered rate over the run (target 20,000/s)", Report.Rate(ours.OfferedRate), Report.Rate(previous.OfferedRate), Report.Ratio(ours.OfferedRate, previous.OfferedRate)));
        rows.Add(("catch-up after the outage: seconds until the cloud lag is under 1 s of readings", Seconds(ours.CatchUpSeconds),
            Seconds(previous.CatchUpSeconds), Report.Ratio(ours.CatchUpSeconds, previous.CatchUpSeconds)));
        Report.Table($"Edge agent memory: {Rate:N0} readings/s over MQTT ({Assets} assets x {SensorsPerAsset} sensors, QoS 1), " +
            $"{Steady.TotalSeconds:0} s steady, {Outage.TotalSeconds:0} s cloud outage, catch-up; VmRSS every {Sample.TotalMilliseconds:0} ms", rows);
    }

    private static string Seconds(double s) => double.IsFinite(s) ? $"{s:0.0} s" : $"not within {CatchUpLimit.TotalSeconds:0} s";

    private static string Mb(double bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private sealed record RunResult(Samples Agent, Samples Broker, long Offered, long Mirrored, double OfferedRate, double CatchUpSeconds);

    private static async Task<RunResult> RunAgentAsync(string label, Dictionary<string, string> extra, Dictionary<string, string?> environment)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 1000, MaxQueuedMessages = 2_000_000 });
        using var clusters = new BenchAgent(broker, Partitions);
        foreach (var (key, value) in extra) clusters.Settings[key] = value;
        clusters.Settings["Logging:LogLevel:IotTelemetry.Edge.Mirror"] = "Information"; // its session starts and resume points, should the catch-up stall
        var edgeKafka = clusters.EdgeKafka;
        var cloudKafka = clusters.CloudKafka;
        var url = clusters.Url;
        await using var edge = clusters.Start(environment);
        await new HostMetrics(url).WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(60));
        using var offsets = new Watermarks(edgeKafka.BootstrapServers, cloudKafka.BootstrapServers);

        var agent = new Samples();
        var mosquitto = new Samples();
        using var stop = new CancellationTokenSource();
        var phase = "steady";
        var sampling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Sample);
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                agent.Add(phase, Rss(edge.Id));
                if (broker.ProcessId > 0) mosquitto.Add(phase, Rss(broker.ProcessId));
            }
        });
        var publisher = new Publisher(broker);
        var publishing = publisher.RunAsync(stop.Token);

        await Task.Delay(Steady); // the stretch being measured, not a synchronization
        phase = "outage";
        cloudKafka.SetAllDown();
        await Task.Delay(Outage);
        cloudKafka.SetAllUp();
        phase = "catch-up";
        var catchUp = Stopwatch.StartNew();
        var lagSeen = new List<string>();
        var nextLag = TimeSpan.Zero;
        double catchUpSeconds;
        try
        {
            await Wait.UntilAsync(() =>
            {
                var cloud = offsets.CloudTotal();
                var lag = offsets.EdgeTotal() - cloud;
                if (catchUp.Elapsed >= nextLag) { lagSeen.Add($"{catchUp.Elapsed.TotalSeconds:0}s: {lag:N0}"); nextLag += TimeSpan.FromSeconds(10); }
                return cloud >= 0 && lag < Rate;
            }, "the mirror to catch up after the outage", CatchUpLimit);
            catchUpSeconds = catchUp.Elapsed.TotalSeconds;
        }
        catch (TimeoutException)
        {
            // Reported, not thrown: the table says the catch-up did not finish, with the lag as it went and the agent's last words.
            catchUpSeconds = double.PositiveInfinity;
            Console.Error.WriteLine($"edge memory bench, {label}: the mirror did not catch up within {CatchUpLimit.TotalSeconds:0} s; records behind: {string.Join(", ", lagSeen)}");
            Console.Error.WriteLine(string.Join('\n', edge.Output.Split('\n').TakeLast(40)));
        }
        await stop.CancelAsync();
        try { await sampling; } catch (OperationCanceledException) { }
        await publishing;
        if (edge.HasExited) throw new InvalidOperationException($"the edge agent ({label}) exited with code {edge.ExitCode}:\n{edge.Output}");
        Console.WriteLine($"edge memory bench, {label}: {agent.Count} samples, catch-up {catchUpSeconds:0.0} s, offered {publisher.Offered:N0}");
        return new RunResult(agent, mosquitto, publisher.Offered * SensorsPerAsset, offsets.CloudTotal(), publisher.Offered * SensorsPerAsset / publisher.Seconds, catchUpSeconds);
    }

    /// <summary>VmRSS of a process in bytes (0 once it is gone).</summary>
    private static double Rss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        return 0;
    }

    /// <summary>RSS samples by phase.</summary>
    private sealed class Samples
    {
        private readonly List<(string Phase, double Bytes)> _all = [];

        public int Count { get { lock (_all) return _all.Count; } }

        public void Add(string phase, double bytes) { if (bytes > 0) lock (_all) _all.Add((phase, bytes)); }

        public Stats Of(string phase)
        {
            List<double> sorted;
            lock (_all) sorted = _all.Where(s => phase == "whole run" || s.Phase == phase).Select(s => s.Bytes).Order().ToList();
            return new Stats(Report.Percentile(sorted, 50), Report.Percentile(sorted, 95), sorted.Count == 0 ? double.NaN : sorted[^1]);
        }
    }

    private sealed record Stats(double P50, double P95, double Peak)
    {
        public string Describe() => $"{P50 / 1e6:0} / {P95 / 1e6:0} / {Peak / 1e6:0} MB";
    }

    /// <summary>Offers <see cref="Rate"/> readings/s: every 50 ms, one batch message of each asset's sensors (the default batch rule).</summary>
    private sealed class Publisher(MosquittoBroker broker)
    {
        private readonly Stopwatch _clock = new();

        public long Offered { get; private set; }
        public double Seconds => _clock.Elapsed.TotalSeconds;

        public async Task RunAsync(CancellationToken ct)
        {
            await using var client = await PlantMqttClient.ConnectAsync(broker.Host, broker.Port, "bench-memory", CancellationToken.None, maxInFlight: 1000);
            const int ticksPerSecond = Rate / (Assets * SensorsPerAsset);
            _clock.Start();
            var pending = new List<Task>(Assets * 4);
            for (long tick = 0; !ct.IsCancellationRequested; tick++)
            {
                var due = TimeSpan.FromSeconds((double)tick / ticksPerSecond);
                if (due > _clock.Elapsed) { try { await Task.Delay(due - _clock.Elapsed, ct); } catch (OperationCanceledException) { break; } }
                var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                for (var a = 0; a < Assets; a++)
                {
                    pending.Add(client.PublishAsync($"plants/bench/a-{a:000}", Payload(tick, ts), MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken.None));
                    Offered++;
                }
                if (pending.Count >= Assets * 4) { await Task.WhenAll(pending); pending.Clear(); }
            }
            await Task.WhenAll(pending);
            _clock.Stop();
        }

        private static byte[] Payload(long tick, long ts)
        {
            var json = new StringBuilder("{\"readings\":[");
            for (var s = 0; s < SensorsPerAsset; s++)
                json.Append(CultureInfo.InvariantCulture, $"{(s > 0 ? "," : "")}{{\"sensor\":\"s{s}\",\"value\":{tick % 1000 + s * 0.5},\"ts\":{ts}}}");
            return Encoding.UTF8.GetBytes(json.Append("]}").ToString());
        }
    }

    /// <summary>Sums of the high watermarks of the edge and cloud telemetry topics: how far the mirror is behind.</summary>
    private sealed class Watermarks(string edgeBootstrap, string cloudBootstrap) : IDisposable
    {
        private readonly IConsumer<byte[], byte[]> _edge = Build(edgeBootstrap);
        private readonly IConsumer<byte[], byte[]> _cloud = Build(cloudBootstrap);

        private static IConsumer<byte[], byte[]> Build(string bootstrap) =>
            new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "bench-watermarks" })
                .SetLogHandler((_, _) => { }).Build();

        public long EdgeTotal() => Total(_edge);
        public long CloudTotal() => Total(_cloud);

        private static long Total(IConsumer<byte[], byte[]> c)
        {
            long sum = 0;
            for (var p = 0; p < Partitions; p++)
            {
                try { sum += c.QueryWatermarkOffsets(new TopicPartition("telemetry", p), TimeSpan.FromSeconds(2)).High.Value; }
                catch (KafkaException) { return -1; }
            }
            return sum;
        }

        public void Dispose() { _edge.Dispose(); _cloud.Dispose(); }
    }
}
