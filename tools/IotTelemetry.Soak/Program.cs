using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Demo;
using IotTelemetry.Soak;

// `make soak`: the processes of `make run` under load while a seeded schedule of faults runs; then drain and reconcile.
SoakOptions options;
try { options = SoakOptions.FromEnvironment(); }
catch (ArgumentException ex) { Console.Error.WriteLine("make soak: " + ex.Message); return 2; }

var root = RepoLayout.Root;
Directory.CreateDirectory(options.DataDir);
var logs = Directory.CreateDirectory(Path.Combine(options.DataDir, "logs")).FullName;
var lake = Directory.CreateDirectory(Path.Combine(options.DataDir, "lake")).FullName;
var journal = Path.Combine(options.DataDir, "alerts.jsonl");
var schedule = FaultSchedule.Draw(options);
var periodMillis = Math.Max(1, (int)Math.Round(1000.0 * options.Assets * options.SensorsPerAsset / options.Rate));
var rate = 1000.0 * options.Assets * options.SensorsPerAsset / periodMillis;
Say($"Soak: {options.Duration.TotalSeconds:0} s at {rate:N0} readings/s ({options.Assets} assets x {options.SensorsPerAsset} sensors every {periodMillis} ms, MQTT QoS 1), seed {options.Seed}; data in {options.DataDir}");
Say($"Faults: {string.Join(", ", schedule.GroupBy(f => f.Kind).Select(g => $"{g.Count()} x {g.Key}"))}" +
    (options.CloudOutage > TimeSpan.Zero ? $"; cloud outage {options.CloudOutage.TotalSeconds:0} s" : "") + (options.DiskFull > TimeSpan.Zero ? $"; lake disk full {options.DiskFull.TotalSeconds:0} s" : ""));

// The lake on a small file system of its own, so that it can be filled (root may mount tmpfs; if not, the fault is skipped and said so).
var lakeDisk = await LakeDisk.MountAsync(lake, "1g");
Say(lakeDisk.Note);

// The clusters live here, in the orchestrator: the edge agent and the cloud host can be killed without losing them.
// librdkafka's mock keeps about 5 MiB (some 50,000 soak records) per partition and deletes the oldest beyond that (fixed
// in librdkafka): enough partitions that the busiest edge partition buffers the outage and the catch-up after it (as long
// again: the 5-minute run was still catching up two minutes after it), and the cloud topic the lake's lag. The floor is the even-spread estimate of earlier runs.
var floor = (int)Math.Ceiling((options.CloudOutage.TotalSeconds + 60) * options.Rate / 25_000.0);
var sizing = PartitionSizing.Choose(PartitionSizing.SoakKeys(options.Assets, options.SensorsPerAsset), 1000.0 / periodMillis,
    options.CloudOutage.TotalSeconds * 2, floor);
var partitions = sizing.Partitions;
using var edgeKafka = new MockCluster();
using var cloudKafka = new MockCluster();
Say($"Both clusters' telemetry topics get {partitions} partitions: the busiest carries {sizing.BusiestKeys} sensors and holds about " +
    $"{sizing.HoldsSeconds:0} s of their readings (the mock cluster keeps about 5 MiB per partition)" +
    (sizing.HoldsSeconds < options.CloudOutage.TotalSeconds * 2 ? $", less than the {options.CloudOutage.TotalSeconds * 2:0} s an outage of {options.CloudOutage.TotalSeconds:0} s and its catch-up need: expect edge retention losses" : ""));
edgeKafka.CreateTopic("telemetry", partitions);
edgeKafka.CreateTopic("telemetry.deadletter", 1);
cloudKafka.CreateTopic("telemetry", partitions);
cloudKafka.CreateTopic("alerts", partitions); // the alert history must outlive the run too: the reconciliation reads it whole
cloudKafka.CreateTopic("telemetry.deadletter", 1);

var mqttPort = FreePort();
var opcUaPort = FreePort();
var edgeUrl = $"http://127.0.0.1:{FreePort()}";
var cloudUrl = $"http://127.0.0.1:{FreePort()}";
await using var mosquitto = new Supervised("mosquitto", () => Mosquitto.StartAsync(Path.Combine(options.DataDir, "mosquitto"), mqttPort, CancellationToken.None));
await using var plc = new Supervised("plc", async () =>
{
    var log = Path.Combine(logs, "plc.log");
    var started = new FileInfo(log).Exists ? new FileInfo(log).Length : 0;
    var process = new ChildProcess("plc", "node", [Path.Combine(root, "tools", "opcua-plc", "plc-sim.mjs"), "--port", opcUaPort.ToString(CultureInfo.InvariantCulture),
        "--pki", Path.Combine(options.DataDir, "plc-pki")], log);
    await Startup.WaitUntil(() => Task.FromResult(File.Exists(log) && new FileInfo(log).Length > started && File.ReadAllText(log)[(int)started..].Contains("ENDPOINT")), process, "the simulated PLC", TimeSpan.FromSeconds(90));
    return process;
});
await using var edge = new Supervised("edge", () => Task.FromResult(new ChildProcess("edge", "dotnet",
[
    RepoLayout.Dll("edge/IotTelemetry.EdgeAgent", "iott-edge"), "--Edge:Site=plant-opc", $"--Edge:Urls={edgeUrl}", "--Mqtt:ClientId=iott-edge-soak",
    $"--Mqtt:Port={mqttPort}", $"--Kafka:Edge:BootstrapServers={edgeKafka.BootstrapServers}", $"--Kafka:Cloud:BootstrapServers={cloudKafka.BootstrapServers}",
    "--Mqtt:ReconnectMaxDelay=00:00:02",
    // The mock cluster answers a fetch with one producer batch per partition (a real broker returns up to
    // max.partition.fetch.bytes): with librdkafka's 5 ms linger a batch of the edge topic holds one or two readings and the
    // mirror's catch-up after an outage copies a partition more slowly than it fills. 100 ms batches tens.
    "--Kafka:Edge:LingerMs=100", "--Kafka:Cloud:LingerMs=100",
    "--OpcUa:Servers:0:Name=line1-plc", $"--OpcUa:Servers:0:EndpointUrl=opc.tcp://127.0.0.1:{opcUaPort}/UA/Line1",
    "--OpcUa:Servers:0:SecurityPolicy=Basic256Sha256", "--OpcUa:Servers:0:SecurityMode=SignAndEncrypt", "--OpcUa:Servers:0:AutoAcceptServerCertificate=true",
    $"--OpcUa:Servers:0:ClientCertificatePath={Path.Combine(options.DataDir, "edge-pki", "own", "client.pfx")}",
    $"--OpcUa:Servers:0:TrustListDirectory={Path.Combine(options.DataDir, "edge-pki")}",
    .. Startup.PlcNode(0, "ns=1;s=Line1.Motor1.Temperature", "motor-1", "temperature"),
    .. Startup.PlcNode(1, "ns=1;s=Line1.Motor1.Current", "motor-1", "current"),
    .. Startup.PlcNode(2, "/Objects/Line1/Pressure", "compressor-1", "pressure"),
], Path.Combine(logs, "edge.log"))));
await using var cloud = new Supervised("cloud", () => Task.FromResult(new ChildProcess("cloud", "dotnet",
[
    RepoLayout.Dll("cloud/IotTelemetry.CloudHost", "iott-cloud"), $"--Cloud:DataDir={options.DataDir}", $"--Cloud:Urls={cloudUrl}",
    $"--Kafka:Cloud:BootstrapServers={cloudKafka.BootstrapServers}", "--Lake:MaxEventSpan=00:00:20", "--Lake:IdleFlush=00:00:05",
], Path.Combine(logs, "cloud.log"))));
Supervised[] all = [mosquitto, plc, edge, cloud];

var exitCode = 1;
try
{
    Say($"Starting mosquitto on 127.0.0.1:{mqttPort}, the simulated PLC on opc.tcp://127.0.0.1:{opcUaPort}, the edge agent and the cloud host; logs in {logs}");
    await mosquitto.StartAsync();
    await plc.StartAsync();
    await edge.StartAsync();
    await cloud.StartAsync();
    var edgeMetrics = new MetricsScraper(edgeUrl);
    var cloudMetrics = new MetricsScraper(cloudUrl);
    await Startup.WaitUntil(async () => await edgeMetrics.ScrapeAsync(CancellationToken.None) && edgeMetrics.Get("iott_edge_mqtt_connected") >= 1, edge.Current!, "the edge agent to connect to MQTT", TimeSpan.FromSeconds(90));
    await Startup.WaitUntil(() => cloudMetrics.ScrapeAsync(CancellationToken.None), cloud.Current!, "the cloud host", TimeSpan.FromSeconds(90));

    var ledger = new Ledger(options.Assets, options.SensorsPerAsset, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), periodMillis);
    var publisher = new LoadPublisher(ledger, "127.0.0.1", () => mqttPort);
    using var load = new CancellationTokenSource(options.Duration);
    using var end = new CancellationTokenSource(options.Duration + options.Drain);
    var clock = Stopwatch.StartNew();
    var publishing = publisher.RunAsync(load.Token, end.Token);
    var faults = schedule.Select(f => RunFaultAsync(f, clock)).ToList();

    while (!publishing.IsCompleted)
    {
        await Task.WhenAny(publishing, Task.Delay(1000));
        foreach (var p in all) await p.WatchAsync();
        if (clock.Elapsed.Seconds % 10 == 0)
        {
            await edgeMetrics.ScrapeAsync(CancellationToken.None);
            Say(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:mm\\:ss}] offered {ledger.Offered,10:N0}  acknowledged {ledger.Acknowledged,10:N0}  retry queue {publisher.Pending,5:N0}  " +
                $"edge readings {edgeMetrics.Get("iott_edge_readings_total"),9:N0} duplicates skipped {edgeMetrics.Get("iott_edge_duplicates_skipped_total"),7:N0} (since its last start)  " +
                $"unacknowledged {edgeMetrics.Get("iott_edge_mqtt_unacknowledged"),5:N0} held back {edgeMetrics.Get("iott_edge_mqtt_held_back"),5:N0}"));
        }
    }
    await publishing;
    await Task.WhenAll(faults);
    Say($"Load over after {clock.Elapsed.TotalSeconds:0} s: {ledger.Offered:N0} readings offered, {ledger.Acknowledged:N0} acknowledged; draining into the lake");
    var drain = Stopwatch.StartNew();
    long inLake = 0, before = -1;
    var progressAt = drain.Elapsed;
    // Until the lake holds every acknowledged reading, DRAIN is over, or nothing more arrived for a minute (readings lost).
    while (drain.Elapsed < options.Drain && drain.Elapsed - progressAt < TimeSpan.FromSeconds(60))
    {
        foreach (var p in all) await p.WatchAsync();
        try { inLake = Reconciliation.CountInLake(lake); } catch (Exception ex) when (ex is DuckDB.NET.Data.DuckDBException or IOException) { }
        if (inLake >= ledger.Acknowledged) break;
        if (inLake != before) { before = inLake; progressAt = drain.Elapsed; }
        await edgeMetrics.ScrapeAsync(CancellationToken.None);
        // What the agent holds unacknowledged tells a broker that stopped sending from an agent that stopped acknowledging.
        Say(string.Create(CultureInfo.InvariantCulture, $"  lake {inLake:N0} of {ledger.Acknowledged:N0}  edge: MQTT messages {edgeMetrics.Get("iott_edge_messages_received_total"),9:N0} " +
            $"unacknowledged {edgeMetrics.Get("iott_edge_mqtt_unacknowledged"),5:N0} held back {edgeMetrics.Get("iott_edge_mqtt_held_back"),5:N0} Kafka in flight {edgeMetrics.Get("iott_edge_kafka_in_flight"),6:N0}"));
        await Task.Delay(5000);
    }
    Say($"Drained in {drain.Elapsed.TotalSeconds:0} s; stopping the processes");
    await cloud.StopAsync(TimeSpan.FromSeconds(30));
    await edge.StopAsync(TimeSpan.FromSeconds(15));
    await plc.StopAsync(TimeSpan.FromSeconds(5));
    await mosquitto.StopAsync(TimeSpan.FromSeconds(5));

    var result = Reconciliation.Run(ledger, lake, journal, cloudKafka.BootstrapServers);
    Console.WriteLine();
    Say("| figure | value |");
    Say("|---|---|");
    Say($"| offered (MQTT readings) | {ledger.Offered:N0} |");
    Say($"| acknowledged (PUBACK) | {ledger.Acknowledged:N0} |");
    Say($"| in the lake (site {Ledger.Site}) | {result.InLake:N0} |");
    Say($"| lost | {result.Lost:N0} |");
    Say($"| duplicated | {result.Duplicated:N0} |");
    Say($"| unexpected | {result.Unexpected:N0} |");
    Say($"| delivered without a PUBACK (allowed, once) | {result.UnacknowledgedDelivered:N0} |");
    Say($"| OPC UA readings in the lake (duplicated) | {result.OpcUaRows:N0} ({result.OpcUaDuplicated:N0}) |");
    Say($"| max end-to-end delay (event time to lake file) | {result.MaxDelay.TotalSeconds:0.0} s |");
    Say($"| alerts | {result.AlertSummary} |");
    foreach (var p in all) Say($"| {p.Name}: kills / restarts / exits by itself / peak RSS | {p.Kills} / {p.Restarts} / {p.UnexpectedExits} / {p.PeakRssKiB / 1024.0:0} MiB |");
    Say($"| cloud outages / lake disk full | {schedule.Count(f => f.Kind == FaultKind.CloudOutage)} / {(lakeDisk.Mounted ? schedule.Count(f => f.Kind == FaultKind.DiskFull).ToString(CultureInfo.InvariantCulture) : "not possible here")} |");
    Console.WriteLine();
    foreach (var p in result.Problems) Say("PROBLEM: " + p);
    foreach (var line in result.LostByAsset) Say("lost by asset: " + line);
    var ok = result.Lost == 0 && result.Duplicated == 0 && result.Unexpected == 0 && result.OpcUaDuplicated == 0 && result.AlertsAgree && ledger.Acknowledged > 0;
    if (!ok)
    {
        // The evidence outlives the run: every problem, and the lake itself (its tmpfs is unmounted below).
        var problems = Path.Combine(options.DataDir, "problems.txt");
        File.WriteAllLines(problems, result.AllProblems);
        var kept = Path.Combine(options.DataDir, "lake-kept");
        CopyDirectory(lake, kept);
        Say($"Every problem is in {problems}; the lake is kept in {kept} (iott-lake query --root {kept} ...)");
        foreach (var log in new[] { "edge.log", "cloud.log" })
            foreach (var line in File.ReadLines(Path.Combine(logs, log)).Where(l => l.Contains("were deleted by the", StringComparison.Ordinal)))
                Say($"{log}: {line}");
    }
    Say(ok ? "Soak passed: every acknowledged reading is in the lake exactly once, nothing else is, and the alerts agree." : "Soak FAILED (see the problems above).");
    exitCode = ok ? 0 : 1;
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
{
    Say("Soak could not run: " + ex.Message);
}
finally
{
    foreach (var p in all) await p.DisposeAsync();
    await lakeDisk.DisposeAsync();
}
return exitCode;

async Task RunFaultAsync(Fault fault, Stopwatch clock)
{
    var wait = fault.At - clock.Elapsed;
    if (wait > TimeSpan.Zero) await Task.Delay(wait);
    var down = TimeSpan.FromMilliseconds(500 + Random.Shared.Next(2500));
    Say($"[{clock.Elapsed:mm\\:ss}] fault: {fault.Kind}{(fault.Length > TimeSpan.Zero ? $" for {fault.Length.TotalSeconds:0} s" : "")}");
    try
    {
        switch (fault.Kind)
        {
            case FaultKind.KillEdge: await edge.KillAndRestartAsync(down); break;
            case FaultKind.KillCloud: await cloud.KillAndRestartAsync(down); break;
            case FaultKind.RestartBroker: await mosquitto.StopAndRestartAsync(down); break;
            case FaultKind.RestartPlc: await plc.StopAndRestartAsync(down); break;
            case FaultKind.CloudOutage:
                cloudKafka.SetAllDown();
                await Task.Delay(fault.Length);
                cloudKafka.SetAllUp();
                break;
            case FaultKind.DiskFull:
                var before = CountLines(Path.Combine(logs, "cloud.log"), "No space left");
                await lakeDisk.FillAsync(fault.Length);
                Say($"  lake disk free again; the cloud host logged {CountLines(Path.Combine(logs, "cloud.log"), "No space left") - before} 'No space left' failures meanwhile");
                break;
        }
    }
    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or SocketException)
    {
        Say($"  fault {fault.Kind} did not complete: {ex.Message}");
    }
}

static void Say(string line) => Console.WriteLine(line);

static int CountLines(string file, string text)
{
    try
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var n = 0;
        while (reader.ReadLine() is { } line) if (line.Contains(text, StringComparison.Ordinal)) n++;
        return n;
    }
    catch (IOException) { return 0; }
}

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}

static void CopyDirectory(string from, string to)
{
    foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
    Directory.CreateDirectory(to);
    foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
}
