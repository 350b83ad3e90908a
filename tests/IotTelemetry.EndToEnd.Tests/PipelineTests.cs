using System.Globalization;
using System.Text.Json;
using IotTelemetry.Anomaly;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Simulator;
using IotTelemetry.TestKit;
using MQTTnet.Protocol;

namespace IotTelemetry.EndToEnd.Tests;

/// <summary>
/// MQTT -> edge agent -> edge Kafka -> mirror -> cloud Kafka -> detector and Parquet sink, every part in its own
/// process or server, checked with implementations we did not write (mosquitto, DuckDB).
/// </summary>
public sealed class PipelineTests : IAsyncLifetime
{
    private const int Partitions = 4;
    private readonly MockCluster _edgeKafka = new();
    private readonly MockCluster _cloudKafka = new();
    private readonly string _dataDir = RepoPaths.NewTempDirectory("e2e");
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _edgeKafka.CreateTopic("telemetry", Partitions);
        _edgeKafka.CreateTopic("telemetry.deadletter", 1);
        _cloudKafka.CreateTopic("telemetry", Partitions);
        _cloudKafka.CreateTopic("alerts", Partitions);
        _broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true, MaxInflightMessages = 1000 });
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _cloudKafka.Dispose();
        _edgeKafka.Dispose();
    }

    [Fact]
    public async Task Known_readings_with_known_faults_arrive_once_raise_the_right_alerts_and_land_exactly_in_parquet()
    {
        var edgeUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var cloudUrl = $"http://127.0.0.1:{FreePort.Next()}";
        await using var edge = Programs.Start(Programs.EdgeDll, new Dictionary<string, string>
        {
            ["Edge:Site"] = "plant-e2e",
            ["Edge:Urls"] = edgeUrl,
            ["Mqtt:Port"] = _broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Kafka:Edge:BootstrapServers"] = _edgeKafka.BootstrapServers,
            ["Kafka:Cloud:BootstrapServers"] = _cloudKafka.BootstrapServers,
        });
        await using var cloud = Programs.Start(Programs.CloudDll, new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = _dataDir,
            ["Cloud:Urls"] = cloudUrl,
            ["Kafka:Cloud:BootstrapServers"] = _cloudKafka.BootstrapServers,
            ["Lake:IdleFlush"] = "00:00:02",
            ["Lake:MaxEventSpan"] = "00:01:00",
            // The readings below are replayed in a burst: judge data gaps on a scale the test cannot reach.
            ["Anomaly:Rules:2:Gap:Intervals"] = "100000",
        });
        var edgeMetrics = new HostMetrics(edgeUrl);
        var cloudMetrics = new HostMetrics(cloudUrl);
        await edgeMetrics.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(60));

        // Three pumps, four sensors each, 5 Hz for 2 minutes of event time: pump-01's bearing fails, pump-02 has a
        // pressure spike and a stuck current sensor, pump-03 is healthy throughout.
        var options = new SimulatorOptions
        {
            Site = "plant-e2e", Assets = 3, SensorsPerAsset = 4, SampleRateHz = 5, Seed = 7,
            Faults =
            [
                new() { Kind = FaultKind.Spike, Asset = "pump-02", Sensor = "pressure", StartSeconds = 40, DurationSeconds = 1 },
                new() { Kind = FaultKind.StuckSensor, Asset = "pump-02", Sensor = "current", StartSeconds = 50, DurationSeconds = 30 },
                new() { Kind = FaultKind.BearingFailure, Asset = "pump-01", StartSeconds = 60, DurationSeconds = 60 },
            ],
        };
        var start = UnixMicros.Now() - 150_000_000; // event times end well before now
        var simulator = new PlantSimulator(options, start);
        var published = new List<SimulatedReading>();
        await using (var plant = await PlantMqttClient.ConnectAsync(_broker.Host, _broker.Port, "e2e-plant", CancellationToken.None, maxInFlight: 500))
        {
            for (var tick = 0; tick < 600; tick++)
            {
                var batch = simulator.NextTick();
                await Task.WhenAll(batch.Select(r => plant.PublishAsync(r.Topic, PlantSimulator.Payload(r), MqttQualityOfServiceLevel.AtLeastOnce,
                    CancellationToken.None)));
                published.AddRange(batch);
            }
        }
        Assert.Equal(7200, published.Count);

        // 1. Every reading reaches the cloud topic exactly once.
        using (var cloudTopic = new KafkaProbe(_cloudKafka.BootstrapServers, "telemetry", Partitions))
        {
            await cloudTopic.WaitForCountAsync(published.Count, TimeSpan.FromSeconds(120));
            await edgeMetrics.WaitForAsync("iott_edge_mirrored_total", published.Count);
            cloudTopic.Poll(TimeSpan.FromSeconds(1));
            var arrived = cloudTopic.Records.Select(r => ReadingCodec.Decode(r.Message.Value))
                .Select(r => (r.Asset, r.Sensor, r.TimestampMicros, r.Value)).ToList();
            Assert.Equal(published.Count, arrived.Count);
            Assert.Equal(
                published.Select(r => (r.Asset, r.Sensor, r.TimestampMicros, r.Value)).OrderBy(x => x),
                arrived.OrderBy(x => x));
        }

        // 2. Alerts for the injected faults, none for healthy sensors.
        await cloudMetrics.WaitForAsync("iott_cloud_detector_readings_total", published.Count, TimeSpan.FromSeconds(60));
        var journal = Path.Combine(_dataDir, "alerts.jsonl");
        List<AlertEvent> raised = [];
        await Wait.UntilAsync(() =>
        {
            raised = File.Exists(journal) ? ReadJournal(journal).Where(e => e.Kind == AlertEventKind.Raised).ToList() : [];
            return raised.Any(e => e.Rule == "bearing-wear") && raised.Any(e => e.Rule == "stuck") && raised.Any(e => e.Sensor == "pressure");
        }, "alerts for all three injected faults in the journal");
        Assert.Contains(raised, e => e is { Asset: "pump-01", Rule: "bearing-wear", Severity: Severity.Critical });
        Assert.Contains(raised, e => e is { Asset: "pump-01", Sensor: "vibration", Rule: "limits" });
        Assert.Contains(raised, e => e is { Asset: "pump-02", Sensor: "pressure", Rule: "zscore" });
        Assert.Contains(raised, e => e is { Asset: "pump-02", Sensor: "current", Rule: "stuck" });
        var faulty = new HashSet<(string, string)> { ("pump-01", "vibration"), ("pump-01", "temperature"), ("pump-01", "vibration+temperature"),
            ("pump-02", "pressure"), ("pump-02", "current") };
        var falseAlarms = raised.Where(e => !faulty.Contains((e.Asset, e.Sensor))).Select(e => e.AlertId).ToList();
        Assert.True(falseAlarms.Count == 0, "alerts on healthy sensors: " + string.Join(", ", falseAlarms));
        // Alerts are raised no earlier than their fault starts (in event time).
        Assert.All(raised, e => Assert.True(e.StartedMicros >= start + 40_000_000, $"{e.AlertId} raised before any fault"));

        // 3. DuckDB finds every reading in the lake with its exact value and timestamp.
        await cloudMetrics.WaitForAsync("iott_cloud_lake_rows_total", published.Count, TimeSpan.FromSeconds(60));
        var lake = Path.Combine(_dataDir, "lake");
        var rows = await DuckDb.QueryAsync(
            $"SELECT site, asset, sensor, epoch_us(time) AS us, value, quality, unit FROM read_parquet({DuckDb.Literal(lake + "/**/*.parquet")}, hive_partitioning=true)");
        Assert.Equal(published.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal("plant-e2e", r["site"].GetString()));
        var fromLake = rows.Select(r => (r["asset"].GetString()!, r["sensor"].GetString()!,
            long.Parse(r["us"].ToString(), CultureInfo.InvariantCulture), r["value"].GetDouble())).OrderBy(x => x).ToList();
        Assert.Equal(published.Select(r => (r.Asset, r.Sensor, r.TimestampMicros, r.Value)).OrderBy(x => x), fromLake);
        Assert.All(rows, r => Assert.Equal("good", r["quality"].GetString()));

        // 4. Each file's footer, as DuckDB reads it, names where its rows came from: this plant's mirror and edge offsets, the mapping rule.
        var lineage = (await DuckDb.QueryAsync(
            $"SELECT decode(value) AS v FROM parquet_kv_metadata({DuckDb.Literal(lake + "/**/*.parquet")}) WHERE decode(key) = 'iott.lineage'"))
            .Select(r => JsonDocument.Parse(r["v"].GetString()!).RootElement).ToList();
        Assert.Equal(Directory.EnumerateFiles(lake, "*.parquet", SearchOption.AllDirectories).Count(), lineage.Count);
        var edgeRanges = lineage.SelectMany(l => l.GetProperty("edge").EnumerateArray()).ToList();
        Assert.All(edgeRanges, e => Assert.Equal(("plant-e2e", "telemetry"), (e.GetProperty("mirror").GetString(), e.GetProperty("topic").GetString())));
        Assert.Equal(published.Count, edgeRanges.Sum(e => e.GetProperty("rows").GetInt64()));
        var rules = lineage.SelectMany(l => l.GetProperty("rules").EnumerateArray()).ToList();
        Assert.Equal(published.Count, rules.Sum(r => r.GetProperty("rows").GetInt64()));
        Assert.All(rules, r => Assert.StartsWith("plant-json", r.GetProperty("name").GetString(), StringComparison.Ordinal));
    }

    private static IEnumerable<AlertEvent> ReadJournal(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var events = new List<AlertEvent>();
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) events.Add(AlertJson.Deserialize(line.AsSpan()));
        return events;
    }
}
