using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.OpcUa;
using IotTelemetry.TestKit;

namespace IotTelemetry.Benchmarks;

/// <summary>
/// OPC UA -> edge agent -> edge topic: notifications/s with <see cref="Items"/> monitored items sampled every
/// <see cref="SamplingMs"/> ms, beside node-opcua's own client receiving the same subscription from the same
/// node-opcua server. The clients run one after the other, never together, so each has the CPU the server leaves.
/// Every client is measured the same way: first notification of every item, a warm-up, then a fixed window.
/// Also our OpcUaClient alone (its DataChanges drained in-process, no Kafka), to show what the agent adds.
/// The server sets Bulk.NNNN to tick + NNNN every bulk interval, so the values a client received tell how many rounds of
/// changes the server made in its window: the share delivered does not move with how fast a loaded machine lets the
/// server tick, the rate does. A probe subscribed to Bulk.0000 alone follows the server's tick, so our clients' windows
/// open only once they have caught up with the server (a backlog drained inside the window would inflate the rate).
/// </summary>
internal static class OpcUaBench
{
    private const int Items = 2000;
    private const int SamplingMs = 100;
    private const int Partitions = 6;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(7);
    private const int CaughtUpTicks = 2;

    private sealed record Security(string Policy, string Mode)
    {
        public override string ToString() => Policy == "None" ? "None" : $"{Policy} {Mode}";
    }

    /// <summary>Notifications per second, and the share of the server's changes in the window they make up.</summary>
    private sealed record Measurement(double Rate, double Share);

    public static async Task RunAsync()
    {
        var pki = RepoPaths.NewTempDirectory("bench-opcua");
        try
        {
            await using var server = await OpcUaTestServer.StartAsync(
                "--bulk", Items.ToString(CultureInfo.InvariantCulture), "--bulk-interval", SamplingMs.ToString(CultureInfo.InvariantCulture),
                "--interval", "1000", "--policies", "None,Basic256Sha256", "--modes", "None,SignAndEncrypt");
            await using var probe = await TickProbe.StartAsync(server, pki);
            var rows = new List<(string, string, string, string)>();
            foreach (var security in (Security[])[new("None", "None"), new("Basic256Sha256", "SignAndEncrypt")])
            {
                var baseline = await NodeOpcUaRateAsync(server, security, pki);
                var raw = await ClientRateAsync(server, security, pki, probe);
                var edge = await EdgeRateAsync(server, security, pki, probe);
                rows.Add(($"notifications/s into the edge topic, security {security} (baseline: node-opcua client)",
                    Report.Rate(edge.Rate), Report.Rate(baseline.Rate), Report.Ratio(edge.Rate, baseline.Rate)));
                rows.Add(("  share of the server's value changes delivered (+-1 round of changes)",
                    Percent(edge.Share), Percent(baseline.Share), Report.Ratio(edge.Share, baseline.Share)));
                rows.Add(($"notifications/s out of OpcUaClient alone, no Kafka, security {security}",
                    Report.Rate(raw.Rate), Report.Rate(baseline.Rate), Report.Ratio(raw.Rate, baseline.Rate)));
                rows.Add(("  share of the server's changes delivered", Percent(raw.Share), Percent(baseline.Share), Report.Ratio(raw.Share, baseline.Share)));
            }
            const double offered = Items * 1000.0 / SamplingMs;
            rows.Add(("offered by the server at most (items x 1000 / sampling ms)", Report.Rate(offered), "", ""));
            Report.Table($"OPC UA: {Items:N0} monitored items at {SamplingMs} ms sampling from one node-opcua server, "
                + $"{Window.TotalSeconds:0} s window after a {Warmup.TotalSeconds:0} s warm-up, clients run one after the other", rows);
        }
        finally
        {
            try
            {
                Directory.Delete(pki, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>node-opcua-client via tests/node/opcua-bench-client.mjs, which measures its own window.</summary>
    private static async Task<Measurement> NodeOpcUaRateAsync(OpcUaTestServer server, Security security, string pki)
    {
        var script = Path.Combine(RepoPaths.NodePeers, "opcua-bench-client.mjs");
        await using var client = ExternalProcess.Start("node",
        [
            script, "--endpoint", server.EndpointUrl, "--pki", Path.Combine(pki, "node"),
            "--count", Items.ToString(CultureInfo.InvariantCulture), "--sampling", SamplingMs.ToString(CultureInfo.InvariantCulture),
            "--warmup", Warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--seconds", Window.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--policy", security.Policy, "--mode", security.Mode,
        ], RepoPaths.NodePeers);
        var exit = await client.WaitForExitAsync(TimeSpan.FromSeconds(90));
        double? Value(string name) => client.Lines.Where(l => l.StartsWith(name + " ", StringComparison.Ordinal))
            .Select(l => (double?)double.Parse(l[(name.Length + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();
        if (exit != 0 || Value("RATE") is not { } rate || Value("COUNT") is not { } count || Value("TICKS") is not { } ticks)
            throw new InvalidOperationException($"opcua-bench-client.mjs: expected exit 0 and RATE, COUNT, TICKS lines, got exit {exit}. Output:\n{client.Output}");
        return new Measurement(rate, Share((long)count, (long)ticks));
    }

    /// <summary>Our OpcUaClient in this process, its DataChanges drained and counted.</summary>
    private static async Task<Measurement> ClientRateAsync(OpcUaTestServer server, Security security, string pki, TickProbe probe)
    {
        var options = new OpcUaClientOptions
        {
            EndpointUrl = server.EndpointUrl,
            SecurityPolicy = Enum.Parse<OpcUaSecurityPolicy>(security.Policy),
            SecurityMode = Enum.Parse<OpcUaSecurityMode>(security.Mode),
            ClientCertificatePath = Path.Combine(pki, "client", "own", "client.pfx"),
            TrustListDirectory = Path.Combine(pki, "client"),
            AutoAcceptServerCertificate = true,
            Nodes = Enumerable.Range(0, Items).Select(i => new OpcUaWatchedNode(BulkNode(i), "bench", "bulk", BulkSensor(i))
            {
                SamplingInterval = TimeSpan.FromMilliseconds(SamplingMs),
            }).ToList(),
        };
        long count = 0, tick = 0;
        using var stop = new CancellationTokenSource();
        await using var client = new OpcUaClient(options);
        await client.StartAsync(stop.Token);
        var draining = Task.Run(async () =>
        {
            try
            {
                var first = options.Nodes[0];
                await foreach (var change in client.DataChanges.ReadAllAsync(stop.Token))
                {
                    if (change.Node.Sensor == first.Sensor && change.Value is { } v) Interlocked.Exchange(ref tick, (long)v);
                    Interlocked.Increment(ref count);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var rate = await MeasureAsync(() => Interlocked.Read(ref count), () => Interlocked.Read(ref tick), probe, "data changes from OpcUaClient");
        await stop.CancelAsync();
        await draining;
        return rate;
    }

    /// <summary>The edge agent as a child process, its readings counted by the edge topic's high watermarks.</summary>
    private static async Task<Measurement> EdgeRateAsync(OpcUaTestServer server, Security security, string pki, TickProbe probe)
    {
        using var edgeKafka = new MockCluster();
        edgeKafka.CreateTopic("telemetry", Partitions);
        edgeKafka.CreateTopic("telemetry.deadletter", 1);
        var edgePki = Path.Combine(pki, "edge");
        Directory.CreateDirectory(edgePki);
        var config = Path.Combine(edgePki, "opcua.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            OpcUa = new
            {
                Servers = new[]
                {
                    new
                    {
                        Name = "bench-server",
                        server.EndpointUrl,
                        SecurityPolicy = security.Policy,
                        SecurityMode = security.Mode,
                        ClientCertificatePath = Path.Combine(edgePki, "own", "client.pfx"),
                        TrustListDirectory = edgePki,
                        AutoAcceptServerCertificate = true,
                        Nodes = Enumerable.Range(0, Items).Select(i => new
                        {
                            Node = BulkNode(i), Asset = "bulk", Sensor = BulkSensor(i), SamplingInterval = TimeSpan.FromMilliseconds(SamplingMs).ToString("c"),
                        }).ToArray(),
                    },
                },
            },
        }));
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var edge = Programs.Start(Programs.EdgeDll, new Dictionary<string, string>
        {
            ["config"] = config,
            ["Edge:Site"] = "bench", ["Edge:Urls"] = url, ["Mqtt:Enabled"] = "false", ["Mirror:Enabled"] = "false",
            ["Kafka:Edge:BootstrapServers"] = edgeKafka.BootstrapServers,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = edgeKafka.BootstrapServers, GroupId = "bench-opcua", EnableAutoCommit = false, FetchWaitMaxMs = 5,
        }).SetLogHandler((_, _) => { }).Build();
        long Records()
        {
            if (edge.HasExited) throw new InvalidOperationException($"the edge agent exited with {edge.ExitCode}. Output:\n{edge.Output}");
            return Enumerable.Range(0, Partitions)
                .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition("telemetry", p), TimeSpan.FromSeconds(5)).High.Value);
        }
        long Tick()
        {
            // The newest reading of each partition carries tick + item number; the largest is the newest round.
            var ends = Enumerable.Range(0, Partitions)
                .Select(p => new TopicPartitionOffset("telemetry", p, consumer.QueryWatermarkOffsets(new TopicPartition("telemetry", p), TimeSpan.FromSeconds(5)).High.Value - 1))
                .Where(tpo => tpo.Offset.Value >= 0).ToList();
            consumer.Assign(ends);
            var newest = 0L;
            var seen = new HashSet<int>();
            var deadline = Stopwatch.StartNew();
            while (seen.Count < ends.Count && deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { } record) continue;
                seen.Add(record.Partition.Value);
                var reading = ReadingCodec.Decode(record.Message.Value);
                newest = Math.Max(newest, (long)Math.Round(reading.Value) - int.Parse(reading.Sensor[1..], CultureInfo.InvariantCulture));
            }
            consumer.Unassign();
            return newest;
        }
        return await MeasureAsync(Records, Tick, probe, "readings in the edge topic");
    }

    /// <summary>
    /// Waits for one notification per item, lets <see cref="Warmup"/> pass, waits until the client is within
    /// <see cref="CaughtUpTicks"/> of the server's tick, then counts over <see cref="Window"/>.
    /// </summary>
    private static async Task<Measurement> MeasureAsync(Func<long> count, Func<long> tick, TickProbe probe, string what)
    {
        await Wait.UntilAsync(() => count() >= Items, $"{Items} {what}", TimeSpan.FromSeconds(60));
        await Task.Delay(Warmup); // a stretch of warm-up left out of the figures, not a synchronization
        await Wait.UntilAsync(() => probe.Tick - tick() <= CaughtUpTicks,
            $"{what} to catch up with the server (server tick {probe.Tick}, client tick {tick()})", TimeSpan.FromSeconds(30));
        // The count is read right at both ends of the timed window; the tick just outside it (reading it may take a while).
        var firstTick = tick();
        var before = count();
        var sw = Stopwatch.StartNew();
        await Task.Delay(Window);
        var received = count() - before;
        var seconds = sw.Elapsed.TotalSeconds;
        var lastTick = tick();
        return new Measurement(received / seconds, Share(received, lastTick - firstTick));
    }

    /// <summary>Our client watching Bulk.0000 alone (10 notifications/s): the server's current tick.</summary>
    private sealed class TickProbe : IAsyncDisposable
    {
        private readonly OpcUaClient _client;
        private readonly CancellationTokenSource _stop = new();
        private Task _draining = Task.CompletedTask;
        private long _tick;

        private TickProbe(OpcUaClient client) => _client = client;

        public long Tick => Interlocked.Read(ref _tick);

        public static async Task<TickProbe> StartAsync(OpcUaTestServer server, string pki)
        {
            var probe = new TickProbe(new OpcUaClient(new OpcUaClientOptions
            {
                EndpointUrl = server.EndpointUrl,
                ClientCertificatePath = Path.Combine(pki, "probe", "own", "client.pfx"),
                TrustListDirectory = Path.Combine(pki, "probe"),
                ReadEngineeringUnits = false,
                Nodes = [new OpcUaWatchedNode(BulkNode(0), "bench", "probe", BulkSensor(0)) { SamplingInterval = TimeSpan.FromMilliseconds(SamplingMs) }],
            }));
            await probe._client.StartAsync(probe._stop.Token);
            probe._draining = Task.Run(async () =>
            {
                try
                {
                    await foreach (var change in probe._client.DataChanges.ReadAllAsync(probe._stop.Token))
                        if (change.Value is { } v) Interlocked.Exchange(ref probe._tick, (long)v);
                }
                catch (OperationCanceledException)
                {
                }
            });
            await Wait.UntilAsync(() => probe.Tick > 0, "the tick probe's first notification", TimeSpan.FromSeconds(30));
            return probe;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _draining;
            await _client.DisposeAsync();
            _stop.Dispose();
        }
    }

    private static double Share(long received, long ticks) => ticks <= 0 ? double.NaN : (double)received / (ticks * (long)Items);

    private static string Percent(double share) => double.IsNaN(share) ? "n/a" : share.ToString("0.0%", CultureInfo.InvariantCulture);

    private static string BulkNode(int i) => "ns=1;s=Bulk." + i.ToString("0000", CultureInfo.InvariantCulture);

    private static string BulkSensor(int i) => "b" + i.ToString("0000", CultureInfo.InvariantCulture);
}
