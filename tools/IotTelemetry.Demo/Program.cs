using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Demo;
using IotTelemetry.Simulator;
using MQTTnet.Protocol;

// `make run`: the whole pipeline on loopback with a simulated plant. DURATION=s ends it; Ctrl-C too.
DemoOptions options;
try { options = DemoOptions.FromEnvironment(); }
catch (ArgumentException ex) { Console.Error.WriteLine("make run: " + ex.Message); return 2; }

var root = RepoLayout.Root;
Directory.CreateDirectory(options.DataDir);
var logs = Directory.CreateDirectory(Path.Combine(options.DataDir, "logs")).FullName;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { stop.Cancel(); } catch (ObjectDisposedException) { } };
if (options.Duration is { } duration) stop.CancelAfter(duration);

Say($"Data directory: {options.DataDir}");
var mqttPort = PreferredPort(1883);
Say($"Starting mosquitto on 127.0.0.1:{mqttPort}");
await using var mosquitto = await Mosquitto.StartAsync(Path.Combine(options.DataDir, "mosquitto"), mqttPort, CancellationToken.None);

Say("Starting the embedded edge and cloud Kafka clusters (librdkafka mock clusters: in memory, for demos only)");
const int partitions = 6;
using var edgeKafka = new MockCluster();
using var cloudKafka = new MockCluster();
edgeKafka.CreateTopic("telemetry", partitions);
edgeKafka.CreateTopic("telemetry.deadletter", 1);
cloudKafka.CreateTopic("telemetry", partitions);
cloudKafka.CreateTopic("alerts", partitions);

var opcUaPort = PreferredPort(4840);
Say($"Starting a simulated PLC (node-opcua) on opc.tcp://127.0.0.1:{opcUaPort}/UA/Line1");
await using var plc = new ChildProcess("plc", "node",
    [Path.Combine(root, "tools", "opcua-plc", "plc-sim.mjs"), "--port", opcUaPort.ToString(CultureInfo.InvariantCulture),
     "--pki", Path.Combine(options.DataDir, "plc-pki")], Path.Combine(logs, "plc.log"));
await Startup.WaitUntil(() => Task.FromResult(File.Exists(Path.Combine(logs, "plc.log")) && File.ReadAllText(Path.Combine(logs, "plc.log")).Contains("ENDPOINT")),
    plc, "the simulated PLC", TimeSpan.FromSeconds(60));

// VictoriaMetrics, a server of the InfluxDB v2 write API, for the InfluxDB sink's recent data (scripts/setup.sh run installs it).
var victoriaPort = PreferredPort(8428);
// Disposed like every other child on any way out of the demo, an unexpected error included (its normal stop is below).
await using var victoria = File.Exists("/usr/bin/victoria-metrics") ? StartVictoriaMetrics() : null;

ChildProcess StartVictoriaMetrics()
{
    var victoriaDir = Directory.CreateDirectory(Path.Combine(options.DataDir, "victoria-metrics")).FullName;
    Say($"Starting VictoriaMetrics on 127.0.0.1:{victoriaPort} (the InfluxDB sink's target)");
    return new ChildProcess("victoria-metrics", "/usr/bin/victoria-metrics",
        [$"-storageDataPath={victoriaDir}", $"-httpListenAddr=127.0.0.1:{victoriaPort}", "-loggerLevel=WARN"],
        Path.Combine(logs, "victoria-metrics.log"));
}

// The lake: a directory in DATA_DIR, or with LAKE=azurite a container of Azurite on loopback.
if (options.Lake == "azurite") Say("Starting Azurite (the Azure Blob Storage emulator) for the lake");
await using var lake = await DemoLake.StartAsync(options, root, logs, PreferredPort(10000));

var edgeUrl = $"http://127.0.0.1:{PreferredPort(9101)}";
var cloudUrl = $"http://127.0.0.1:{PreferredPort(9102)}";
var flightPort = PreferredPort(9103);
Say($"Starting the edge agent (site {options.Simulator.Site}); log: {Path.Combine(logs, "edge.log")}");
await using var edge = new ChildProcess("edge", "dotnet",
[
    RepoLayout.Dll("edge/IotTelemetry.EdgeAgent", "iott-edge"),
    $"--Edge:Site={options.Simulator.Site}", $"--Edge:Urls={edgeUrl}",
    $"--Mqtt:Port={mqttPort}", $"--Kafka:Edge:BootstrapServers={edgeKafka.BootstrapServers}",
    $"--Kafka:Cloud:BootstrapServers={cloudKafka.BootstrapServers}",
    $"--OpcUa:Servers:0:Name=line1-plc", $"--OpcUa:Servers:0:EndpointUrl=opc.tcp://127.0.0.1:{opcUaPort}/UA/Line1",
    "--OpcUa:Servers:0:SecurityPolicy=Basic256Sha256", "--OpcUa:Servers:0:SecurityMode=SignAndEncrypt",
    "--OpcUa:Servers:0:AutoAcceptServerCertificate=true",
    $"--OpcUa:Servers:0:ClientCertificatePath={Path.Combine(options.DataDir, "edge-pki", "own", "client.pfx")}",
    $"--OpcUa:Servers:0:TrustListDirectory={Path.Combine(options.DataDir, "edge-pki")}",
    .. Startup.PlcNode(0, "ns=1;s=Line1.Motor1.Temperature", "motor-1", "temperature"),
    .. Startup.PlcNode(1, "ns=1;s=Line1.Motor1.Current", "motor-1", "current"),
    .. Startup.PlcNode(2, "/Objects/Line1/Pressure", "compressor-1", "pressure"),
], Path.Combine(logs, "edge.log"));
Say($"Starting the cloud services (detector, Parquet sink{(victoria is null ? "" : ", InfluxDB sink")}); log: {Path.Combine(logs, "cloud.log")}");
await using var cloud = new ChildProcess("cloud", "dotnet",
[
    RepoLayout.Dll("cloud/IotTelemetry.CloudHost", "iott-cloud"),
    $"--Cloud:DataDir={options.DataDir}", $"--Cloud:Urls={cloudUrl}",
    $"--Kafka:Cloud:BootstrapServers={cloudKafka.BootstrapServers}",
    "--Lake:MaxEventSpan=00:00:20", "--Lake:IdleFlush=00:00:05", // small files, so some appear while the demo runs
    "--Rollups:MaxEventSpan=00:00:20", "--Rollups:IdleFlush=00:00:05", // rollups grow while the demo runs too
    // The demo's dashboard user: engineer / engineer (only the PBKDF2 hash is configured).
    "--Dashboard:Enabled=true", "--Dashboard:Users:0:Name=engineer",
    "--Dashboard:Users:0:PasswordHash=pbkdf2-sha256$210000$GT9QfSHLI/OzSSFzu5UB8Q==$eqtI+gNx9ksMA9co8FFfUJca8EAPRNXLhSWkWYNmyPo=",
    $"--Dashboard:EdgeMetricsUrls=edge={edgeUrl}",
    // Arrow Flight for data scientists on loopback (plain HTTP/2), logging in the dashboard's user.
    "--Flight:Enabled=true", $"--Flight:Url=http://127.0.0.1:{flightPort}",
    // VictoriaMetrics accepts any token unless started with -httpAuth.*; InfluxDB 2/3 would check it.
    .. (victoria is null ? Array.Empty<string>() : ["--Influx:Enabled=true", $"--Influx:Url=http://127.0.0.1:{victoriaPort}", "--Influx:Org=iott",
        "--Influx:Bucket=iott", "--Influx:Token=demo"]),
], Path.Combine(logs, "cloud.log"), environment: lake.CloudEnvironment);

var edgeMetrics = new MetricsScraper(edgeUrl);
var cloudMetrics = new MetricsScraper(cloudUrl);
await Startup.WaitUntil(async () => await edgeMetrics.ScrapeAsync(stop.Token) && edgeMetrics.Get("iott_edge_mqtt_connected") >= 1, edge, "the edge agent to connect to MQTT", TimeSpan.FromSeconds(60));
await Startup.WaitUntil(() => cloudMetrics.ScrapeAsync(stop.Token), cloud, "the cloud services", TimeSpan.FromSeconds(60));
Say($"Dashboard: {cloudUrl}/  (user engineer, password engineer)");
Say($"Edge metrics: {edgeUrl}/metrics   Cloud metrics: {cloudUrl}/metrics");
Say($"Arrow Flight: grpc+tcp://127.0.0.1:{flightPort}  (user engineer, password engineer; tickets are JSON, e.g. {{\"dataset\":\"rollup-1m\"}} for merged 1-minute rollups)");
Say($"  python: import pyarrow.flight as f; c = f.FlightClient('grpc+tcp://127.0.0.1:{flightPort}'); " +
    "o = f.FlightCallOptions(headers=[c.authenticate_basic_token('engineer', 'engineer')]); " +
    "print(c.do_get(f.Ticket(b'{\"dataset\":\"rollup-1m\",\"asset\":\"pump-01\"}'), o).read_all().to_pandas())");

var sim = options.Simulator;
Say($"Simulating {sim.Assets} assets x {sim.SensorsPerAsset} sensors at {sim.SampleRateHz} Hz = {sim.Assets * sim.SensorsPerAsset * sim.SampleRateHz:0.#} readings/s, " +
    "with a bearing failure on pump-01 (from 25 s), a stuck current sensor on pump-03 (20 s), a pressure spike on pump-02 (20 s)" +
    (options.BadMessageEverySeconds > 0 ? $", and a malformed message every {options.BadMessageEverySeconds:0.#} s" : ""));
Say(options.Duration is { } d2 ? $"Running for {d2.TotalSeconds:0} s" : "Running until Ctrl-C");

await using var mqtt = await PlantMqttClient.ConnectAsync("127.0.0.1", mqttPort, "iott-plant-simulator", stop.Token, maxInFlight: 2000);
var simulator = new PlantSimulator(sim, IotTelemetry.Common.Readings.UnixMicros.Now());
var publisher = new PlantPublisher(mqtt, simulator, MqttQualityOfServiceLevel.AtLeastOnce);
var publishing = publisher.RunAsync(stop.Token);
var badMessages = 0L;
var badPublishing = options.BadMessageEverySeconds > 0 ? Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        try { await Task.Delay(TimeSpan.FromSeconds(options.BadMessageEverySeconds), stop.Token); } catch (OperationCanceledException) { return; }
        await mqtt.PublishAsync($"plants/{sim.Site}/pump-99/flow", Encoding.UTF8.GetBytes("{\"value\":\"n/a\",\"unit\":\"m3/h\"}"),
            MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken.None);
        Interlocked.Increment(ref badMessages);
    }
}) : Task.CompletedTask;

var clock = Stopwatch.StartNew();
double lastCloud = 0, lastIn = 0;
var lastAt = TimeSpan.Zero;
while (!stop.IsCancellationRequested)
{
    try { await Task.Delay(TimeSpan.FromSeconds(2), stop.Token); } catch (OperationCanceledException) { break; }
    if (edge.HasExited || cloud.HasExited)
    {
        Say($"The {(edge.HasExited ? "edge agent" : "cloud services")} stopped unexpectedly; see {(edge.HasExited ? edge.LogFile : cloud.LogFile)}");
        break;
    }
    await edgeMetrics.ScrapeAsync(CancellationToken.None);
    await cloudMetrics.ScrapeAsync(CancellationToken.None);
    var now = clock.Elapsed;
    var seconds = (now - lastAt).TotalSeconds;
    var readingsIn = edgeMetrics.Get("iott_edge_readings_total");
    var mirrored = edgeMetrics.Get("iott_edge_mirrored_total");
    Say(string.Create(CultureInfo.InvariantCulture,
        $"[{now:mm\\:ss}] in {readingsIn,8:N0} ({(readingsIn - lastIn) / seconds,6:N0}/s)  to cloud {mirrored,8:N0} ({(mirrored - lastCloud) / seconds,6:N0}/s)  " +
        $"dead letters {edgeMetrics.Get("iott_edge_dead_letters_total"),3:N0}  alerts raised {cloudMetrics.Get("iott_cloud_alerts_total", "raised"),3:N0} " +
        $"cleared {cloudMetrics.Get("iott_cloud_alerts_total", "cleared"),3:N0}  lake files {cloudMetrics.Get("iott_cloud_lake_files_total"),4:N0} rows {cloudMetrics.Get("iott_cloud_lake_rows_total"),8:N0}  " +
        $"rollups files {cloudMetrics.Get("iott_cloud_rollup_files_total"),4:N0} readings {cloudMetrics.Get("iott_cloud_rollup_readings_total"),8:N0}"));
    lastIn = readingsIn;
    lastCloud = mirrored;
    lastAt = now;
}

Say("Stopping: the simulator first, then waiting for the pipeline to drain");
stop.Cancel();
await publishing;
await badPublishing;
var expected = publisher.Published;
var drain = Stopwatch.StartNew();
while (drain.Elapsed < TimeSpan.FromSeconds(20) && !edge.HasExited)
{
    await edgeMetrics.ScrapeAsync(CancellationToken.None);
    var written = edgeMetrics.Get("iott_edge_readings_total"); // MQTT and OPC UA readings in the edge topic
    if (written >= expected && edgeMetrics.Get("iott_edge_mirrored_total") >= written) break;
    await Task.Delay(200);
}
await cloudMetrics.ScrapeAsync(CancellationToken.None);
await edge.StopAsync(TimeSpan.FromSeconds(15));
await cloud.StopAsync(TimeSpan.FromSeconds(30)); // the sink writes what it holds before it exits
await mosquitto.StopAsync(TimeSpan.FromSeconds(5));
await plc.StopAsync(TimeSpan.FromSeconds(5));
if (victoria is not null) await victoria.StopAsync(TimeSpan.FromSeconds(10));

var (lakeLocation, lakeFiles, rows) = lake.Summarize(); // read back from the store the sink wrote (Azurite still runs)
var journal = Path.Combine(options.DataDir, "alerts.jsonl");
var journalLines = File.Exists(journal) ? File.ReadLines(journal).Count() : 0;
Console.WriteLine();
Say($"Published {expected:N0} readings and {Interlocked.Read(ref badMessages)} malformed messages over MQTT; " +
    $"{edgeMetrics.Get("iott_edge_messages_received_total", "opcua"):N0} OPC UA data changes came from the PLC; " +
    $"{edgeMetrics.Get("iott_edge_mirrored_total"):N0} readings reached the cloud topic.");
Say($"Parquet lake:   {lakeLocation}  ({lakeFiles} files, {rows:N0} rows; Hive layout site=/date=/hour=)");
if (lake.Store.IsAzure) Say($"Lake store:     {lake.Description}");
foreach (var line in RollupSummary.Of(lake.OpenRaw())) Say(line);
Say($"Alert journal:  {journal}  ({journalLines} events)");
Say($"Logs:           {logs}");
if (victoria is not null) Say($"VictoriaMetrics data: {Path.Combine(options.DataDir, "victoria-metrics")} (metric readings_value; query http://127.0.0.1:{victoriaPort}/api/v1/export)");
Console.WriteLine();
Say("iott-lake catalog (every dataset of the lake, raw and rollups; written to _catalog/ in the lake's store):");
foreach (var line in await DemoCatalog.RunAsync(RepoLayout.Dll("tools/IotTelemetry.LakeTool.Cli", "iott-lake"), lake, options.DataDir)) Say("  " + line);
Console.WriteLine();
if (!lake.Store.IsAzure)
    Say($"Query it, e.g. with DuckDB: SELECT asset, sensor, count(*), avg(value) FROM read_parquet('{lakeLocation}/**/*.parquet', hive_partitioning=true) GROUP BY ALL ORDER BY ALL;");
return 0;

static void Say(string line) => Console.WriteLine(line);

static int PreferredPort(int preferred)
{
    try
    {
        using var l = new TcpListener(IPAddress.Loopback, preferred);
        l.Start();
        return preferred;
    }
    catch (SocketException)
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

