using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.OpcUa;
using IotTelemetry.TestKit;

namespace IotTelemetry.Benchmarks;

/// <summary>
/// OPC UA -> edge agent -> edge topic: notifications/s with <see cref="Items"/> monitored items sampled every
/// <see cref="SamplingMs"/> ms, beside node-opcua's own client receiving the same subscription from the same
/// node-opcua server. The clients run one after the other, never together, so each has the CPU the server leaves.
/// Every client is measured the same way: first notification of every item, a warm-up, then a fixed window.
/// Also our OpcUaClient alone (its DataChanges drained in-process, no Kafka), to show what the agent adds.
/// </summary>
internal static class OpcUaBench
{
    private const int Items = 2000;
    private const int SamplingMs = 100;
    private const int Partitions = 6;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(8);

    private sealed record Security(string Policy, string Mode)
    {
        public override string ToString() => Policy == "None" ? "None" : $"{Policy} {Mode}";
    }

    public static async Task RunAsync()
    {
        var pki = RepoPaths.NewTempDirectory("bench-opcua");
        try
        {
            await using var server = await OpcUaTestServer.StartAsync(
                "--bulk", Items.ToString(CultureInfo.InvariantCulture), "--bulk-interval", SamplingMs.ToString(CultureInfo.InvariantCulture),
                "--interval", "1000", "--policies", "None,Basic256Sha256", "--modes", "None,SignAndEncrypt");
            var rows = new List<(string, string, string, string)>();
            foreach (var security in (Security[])[new("None", "None")])
            {
                var t = Stopwatch.StartNew();
                var baseline = await NodeOpcUaRateAsync(server, security, pki);
                Console.Error.WriteLine($"DBG node {t.Elapsed}");
                var raw = await ClientRateAsync(server, security, pki);
                Console.Error.WriteLine($"DBG raw {t.Elapsed}");
                var edge = await EdgeRateAsync(server, security, pki);
                Console.Error.WriteLine($"DBG edge {t.Elapsed}");
                Console.Error.WriteLine($"DBG raw2 {await ClientRateAsync(server, security, pki)} {t.Elapsed}");
                rows.Add(($"notifications/s into the edge topic, security {security} (baseline: node-opcua client)",
                    Report.Rate(edge), Report.Rate(baseline), Report.Ratio(edge, baseline)));
                rows.Add(($"notifications/s out of OpcUaClient alone, no Kafka, security {security}",
                    Report.Rate(raw), Report.Rate(baseline), Report.Ratio(raw, baseline)));
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
        }
    }

    /// <summary>node-opcua-client via tests/node/opcua-bench-client.mjs, which measures its own window.</summary>
    private static async Task<double> NodeOpcUaRateAsync(OpcUaTestServer server, Security security, string pki)
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
        var rate = client.Lines.FirstOrDefault(l => l.StartsWith("RATE ", StringComparison.Ordinal));
        if (exit != 0 || rate is null)
            throw new InvalidOperationException($"opcua-bench-client.mjs: expected exit 0 and a RATE line, got exit {exit}. Output:\n{client.Output}");
        return double.Parse(rate["RATE ".Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>Our OpcUaClient in this process, its DataChanges drained and counted.</summary>
    private static async Task<double> ClientRateAsync(OpcUaTestServer server, Security security, string pki)
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
        long count = 0;
        using var stop = new CancellationTokenSource();
        await using var client = new OpcUaClient(options);
        await client.StartAsync(stop.Token);
        var draining = Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in client.DataChanges.ReadAllAsync(stop.Token)) Interlocked.Increment(ref count);
            }
            catch (OperationCanceledException)
            {
            }
        });
        var rate = await MeasureAsync(() => Interlocked.Read(ref count), "data changes from OpcUaClient");
        Console.Error.WriteLine($"DBG {client.Statistics}");
        await stop.CancelAsync();
        await draining;
        return rate;
    }

    /// <summary>The edge agent as a child process, its readings counted by the edge topic's high watermarks.</summary>
    private static async Task<double> EdgeRateAsync(OpcUaTestServer server, Security security, string pki)
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
        KafkaNative.EnsureLoaded();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = edgeKafka.BootstrapServers, GroupId = "bench-opcua", EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        long Records()
        {
            if (edge.HasExited) throw new InvalidOperationException($"the edge agent exited with {edge.ExitCode}. Output:\n{edge.Output}");
            return Enumerable.Range(0, Partitions)
                .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition("telemetry", p), TimeSpan.FromSeconds(5)).High.Value);
        }
        return await MeasureAsync(Records, "readings in the edge topic");
    }

    /// <summary>Waits for one notification per item, lets <see cref="Warmup"/> pass, then counts over <see cref="Window"/>.</summary>
    private static async Task<double> MeasureAsync(Func<long> count, string what)
    {
        var t = Stopwatch.StartNew();
        await Wait.UntilAsync(() => count() >= Items, $"{Items} {what}", TimeSpan.FromSeconds(60));
        Console.Error.WriteLine($"DBG first {what} {t.Elapsed}");
        await Task.Delay(Warmup);
        var before = count();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 8; i++) { await Task.Delay(1000); Console.Error.WriteLine($"DBG  {what} {count()}"); }
        var received = count() - before;
        return received / sw.Elapsed.TotalSeconds;
    }

    private static string BulkNode(int i) => "ns=1;s=Bulk." + i.ToString("0000", CultureInfo.InvariantCulture);

    private static string BulkSensor(int i) => "b" + i.ToString("0000", CultureInfo.InvariantCulture);
}
