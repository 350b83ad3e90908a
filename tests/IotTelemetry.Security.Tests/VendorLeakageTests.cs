using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Security.Tests;

/// <summary>
/// The edge agent as deployed (its own process) curating a plant with two vendors' machines, excluded
/// sensors, excluded fields and the plant's production figures; every record of each vendor topic, at the
/// edge and in the cloud after mirroring, is inspected.
/// </summary>
public sealed class VendorLeakageTests : IDisposable
{
    // Nine partitions spread the plant's nine sensors so that no partition nears the mock cluster's 5 MiB per
    // partition, beyond which it deletes the oldest records (as a real broker's retention would).
    private const int Partitions = 9;
    private const long T0 = 1_795_248_000_000_000; // 2026-11-21T08:00:00Z, a whole minute
    private static readonly SchemaChecker Schema = SchemaChecker.Load(Path.Combine(RepoPaths.Root, "schemas", "vendor-reading.v1.schema.json"));
    private readonly MockCluster _edge = new();
    private readonly MockCluster _cloud = new();

    public VendorLeakageTests()
    {
        foreach (var topic in new[] { "telemetry", "vendor.pumpco", "vendor.fanco" })
        {
            _edge.CreateTopic(topic, Partitions);
            _cloud.CreateTopic(topic, Partitions);
        }
        _edge.CreateTopic("telemetry.deadletter", 1);
        _edge.CreateTopic("vendor.pumpco.policy", 1);
        _edge.CreateTopic("vendor.fanco.policy", 1);
    }

    public void Dispose()
    {
        _edge.Dispose();
        _cloud.Dispose();
    }

    private Dictionary<string, string> Settings(params (string Key, string Value)[] extra)
    {
        var settings = Programs.EdgeSettings(_edge.BootstrapServers, _cloud.BootstrapServers);
        // pumpco: its pumps (all sensors), value and unit only, plant and pumps renamed
        settings["Vendors:0:Name"] = "pumpco";
        settings["Vendors:0:Assets:0"] = "plant-t/pump-*/*";
        settings["Vendors:0:Fields:0"] = "value";
        settings["Vendors:0:Fields:1"] = "unit";
        settings["Vendors:0:SitePseudonyms:plant-t"] = "site-7";
        settings["Vendors:0:AssetPseudonyms:pump-01"] = "P1";
        settings["Vendors:0:AssetPseudonyms:pump-02"] = "P2";
        // fanco: vibration of its fans only, value and quality, one mean per minute
        settings["Vendors:1:Name"] = "fanco";
        settings["Vendors:1:Assets:0"] = "plant-t/fan-*/vibration";
        settings["Vendors:1:Fields:0"] = "value";
        settings["Vendors:1:Fields:1"] = "quality";
        settings["Vendors:1:Downsample"] = "00:01:00";
        foreach (var (k, v) in extra) settings[k] = v;
        return settings;
    }

    /// <summary>Every 10 s for <paramref name="seconds"/>: two pumps and two fans (two sensors each) and the press's output count.</summary>
    private static List<Reading> Plant(int fromSecond, int seconds)
    {
        var list = new List<Reading>();
        for (var s = fromSecond; s < fromSecond + seconds; s += 10)
        {
            var t = T0 + s * 1_000_000L;
            foreach (var asset in new[] { "pump-01", "pump-02", "fan-01", "fan-02" })
            {
                var n = asset[^1] - '0';
                list.Add(new Reading("plant-t", asset, "vibration", t, n * 1000 + s / 10.0, Quality.Good, "mm/s", $"mqtt:plants/plant-t/{asset}/vibration", t + 5));
                list.Add(new Reading("plant-t", asset, "temperature", t, n * 10 + s / 100.0, s % 60 == 0 ? Quality.Uncertain : Quality.Good, "degC",
                    $"mqtt:plants/plant-t/{asset}/temperature", t + 5));
            }
            list.Add(new Reading("plant-t", "press-01", "output", t, 5000 + s, Quality.Good, "parts", "mqtt:plants/plant-t/press-01/output", t + 5));
        }
        return list;
    }

    private static (string Asset, string Sensor, string Ts, double Value) Id(JsonObject j) =>
        ((string)j["asset"]!, (string)j["sensor"]!, (string)j["ts"]!, (double)j["value"]!);

    /// <summary>Checks one record against the pumpco policy and the published schema; returns it parsed.</summary>
    private static JsonObject InspectPumpco(ConsumeResult<byte[]?, byte[]?> cr)
    {
        var json = JsonNode.Parse(cr.Message.Value)!.AsObject();
        Assert.Empty(Schema.Check(json));
        Assert.Equal(["schema", "vendor", "site", "asset", "sensor", "ts", "value", "unit"], json.Select(kv => kv.Key));
        Assert.Equal("site-7", (string)json["site"]!);
        Assert.Contains((string)json["asset"]!, new[] { "P1", "P2" });
        var everything = Encoding.UTF8.GetString(cr.Message.Key!) + Encoding.UTF8.GetString(cr.Message.Value!) +
                         string.Concat(cr.Message.Headers.Select(h => h.Key + "=" + Encoding.UTF8.GetString(h.GetValueBytes())));
        foreach (var secret in new[] { "plant-t", "pump-0", "fan-", "press", "mqtt:" }) Assert.DoesNotContain(secret, everything);
        Assert.Equal($"site-7/{json["asset"]}/{json["sensor"]}", Encoding.UTF8.GetString(cr.Message.Key!));
        return json;
    }

    private static JsonObject InspectFanco(ConsumeResult<byte[]?, byte[]?> cr)
    {
        var json = JsonNode.Parse(cr.Message.Value)!.AsObject();
        Assert.Empty(Schema.Check(json));
        Assert.Equal(["schema", "vendor", "site", "asset", "sensor", "ts", "value", "quality", "window"], json.Select(kv => kv.Key));
        Assert.Equal("plant-t", (string)json["site"]!);
        Assert.Contains((string)json["asset"]!, new[] { "fan-01", "fan-02" });
        Assert.Equal("vibration", (string)json["sensor"]!);
        return json;
    }

    private static List<(string, string, string, double)> ExpectedPumpco(IEnumerable<Reading> written) =>
        [.. written.Where(r => r.Asset.StartsWith("pump-", StringComparison.Ordinal))
            .Select(r => (r.Asset == "pump-01" ? "P1" : "P2", r.Sensor, Edge.Vendors.VendorRecord.Iso(r.TimestampMicros), r.Value)).Order()];

    /// <summary>Means per fan and whole minute, for the minutes a later reading of the same fan has closed.</summary>
    private static List<(string, string, string, double)> ExpectedFanco(IEnumerable<Reading> written)
    {
        var fans = written.Where(r => r.Asset.StartsWith("fan-", StringComparison.Ordinal) && r.Sensor == "vibration").ToList();
        return [.. fans.GroupBy(r => (r.Asset, Minute: r.TimestampMicros / 60_000_000))
            .Where(g => fans.Any(f => f.Asset == g.Key.Asset && f.TimestampMicros / 60_000_000 > g.Key.Minute))
            .Select(g => (g.Key.Asset, "vibration", Edge.Vendors.VendorRecord.Iso(g.Key.Minute * 60_000_000), g.Average(r => r.Value))).Order()];
    }

    private static void AssertExactly(List<(string, string, string, double)> expected, IEnumerable<JsonObject> records)
    {
        var actual = records.Select(Id).Order().ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal((expected[i].Item1, expected[i].Item2, expected[i].Item3), (actual[i].Asset, actual[i].Sensor, actual[i].Ts));
            Assert.Equal(expected[i].Item4, actual[i].Value, 9);
        }
    }

    [Fact]
    public async Task Each_vendor_topic_holds_exactly_its_allowed_readings_at_the_edge_and_in_the_cloud()
    {
        using var plant = new ReadingProducer(_edge.BootstrapServers);
        plant.Produce(Plant(0, 300)); // 5 minutes: 30 readings per sensor
        var pumpcoCount = ExpectedPumpco(plant.Written).Count;
        var fancoCount = ExpectedFanco(plant.Written).Count;
        Assert.Equal((120, 8), (pumpcoCount, fancoCount));

        var settings = Settings();
        await using var agent = Programs.Start(Programs.EdgeDll, settings);
        var metrics = new HostMetrics(settings["Edge:Urls"]);
        using var edgePumpco = new KafkaProbe(_edge.BootstrapServers, "vendor.pumpco", Partitions);
        using var cloudPumpco = new KafkaProbe(_cloud.BootstrapServers, "vendor.pumpco", Partitions);
        using var edgeFanco = new KafkaProbe(_edge.BootstrapServers, "vendor.fanco", Partitions);
        using var cloudFanco = new KafkaProbe(_cloud.BootstrapServers, "vendor.fanco", Partitions);
        using var cloudTelemetry = new KafkaProbe(_cloud.BootstrapServers, "telemetry", Partitions);
        await cloudPumpco.WaitForCountAsync(pumpcoCount, TimeSpan.FromSeconds(60));
        await cloudFanco.WaitForCountAsync(fancoCount, TimeSpan.FromSeconds(60));
        await cloudTelemetry.WaitForCountAsync(plant.Written.Count, TimeSpan.FromSeconds(60)); // the plant's own mirror is unchanged
        foreach (var probe in new[] { edgePumpco, cloudPumpco, edgeFanco, cloudFanco }) probe.Poll(TimeSpan.FromSeconds(1));
        Assert.False(agent.HasExited, agent.Output);

        AssertExactly(ExpectedPumpco(plant.Written), edgePumpco.Records.Select(InspectPumpco));
        AssertExactly(ExpectedPumpco(plant.Written), cloudPumpco.Records.Select(InspectPumpco));
        AssertExactly(ExpectedFanco(plant.Written), edgeFanco.Records.Select(InspectFanco));
        AssertExactly(ExpectedFanco(plant.Written), cloudFanco.Records.Select(InspectFanco));
        Assert.All(cloudFanco.Records.Select(InspectFanco), j => Assert.Equal(6, (int)j["window"]!["count"]!));
        Assert.Equal("good", (string)InspectFanco(cloudFanco.Records[0])["quality"]!);
        Assert.Equal(pumpcoCount, await metrics.GetAsync("iott_edge_vendor_records_total", "vendor=\"pumpco\""));
        Assert.Equal(fancoCount, await metrics.GetAsync("iott_edge_vendor_records_total", "vendor=\"fanco\""));
    }

    [Fact]
    public async Task Killing_the_agent_mid_stream_and_restarting_it_with_a_changed_policy_loses_and_doubles_nothing()
    {
        using var plant = new ReadingProducer(_edge.BootstrapServers);
        using var edgePumpco = new KafkaProbe(_edge.BootstrapServers, "vendor.pumpco", Partitions);

        plant.Produce(Plant(0, 60_000)); // a backlog of 54,000 readings, 24,000 of them pumpco's
        var end = 60_000;
        await using (var first = Programs.Start(Programs.EdgeDll, Settings()))
        {
            // The plant goes on writing until the agent is killed, and once more after: on a fast machine the agent
            // curates a backlog alone in less time than a probe takes to see its first record, so only a stream that is
            // still flowing makes the kill land while the agent is curating and mirroring.
            using var killed = new CancellationTokenSource();
            var writing = Task.Run(async () =>
            {
                using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100)); // 540 readings every 100 ms
                while (!killed.IsCancellationRequested)
                {
                    plant.Produce(Plant(end, 600));
                    end += 600;
                    await pace.WaitForNextTickAsync();
                }
                plant.Produce(Plant(end, 600));
                end += 600;
            });
            await edgePumpco.WaitForCountAsync(1, TimeSpan.FromSeconds(60));
            first.Kill(); // SIGKILL while curating and mirroring
            await killed.CancelAsync();
            await writing;
        }
        edgePumpco.Poll(TimeSpan.FromSeconds(1));
        Assert.True(edgePumpco.Records.Count < ExpectedPumpco(plant.Written).Count,
            $"the agent was killed before it curated everything ({edgePumpco.Records.Count} of {ExpectedPumpco(plant.Written).Count}, distinct {edgePumpco.Records.Select(r => Encoding.UTF8.GetString(r.Message.Value!)).Distinct().Count()})");

        // the plant now also shares the pumps' quality with pumpco, and fanco's means become 30 s means
        // The cloud is read from its beginning by probes opened now, after the crash (a reader opened before it sometimes
        // saw nothing under a fully loaded machine).
        using var cloudPumpco = new KafkaProbe(_cloud.BootstrapServers, "vendor.pumpco", Partitions);
        using var cloudFanco = new KafkaProbe(_cloud.BootstrapServers, "vendor.fanco", Partitions);
        await using (var second = Programs.Start(Programs.EdgeDll, Settings(("Vendors:0:Fields:2", "quality"), ("Vendors:1:Downsample", "00:00:30"))))
        {
            plant.Produce(Plant(end, 600));
            try
            {
                await cloudPumpco.WaitForCountAsync(ExpectedPumpco(plant.Written).Count, TimeSpan.FromSeconds(90));
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException(ex.Message + "; agent output:\n" + string.Join("\n", second.Lines.TakeLast(40)), ex);
            }
            await Wait.UntilAsync(() =>
            {
                cloudFanco.Poll();
                return cloudFanco.Records.Sum(r => (int)JsonNode.Parse(r.Message.Value)!["window"]!["count"]!) >= 2 * ((end + 600) / 10) - 2 * 3;
            }, "fanco windows covering all but the last window of each fan", TimeSpan.FromSeconds(90));
            cloudPumpco.Poll(TimeSpan.FromSeconds(1));
            cloudFanco.Poll(TimeSpan.FromSeconds(1));
        }

        // pumpco: every pump reading exactly once; before the resume point without quality, after it with
        var pumpco = cloudPumpco.Records.Select(r => JsonNode.Parse(r.Message.Value)!.AsObject()).ToList();
        Assert.All(pumpco, j => Assert.Empty(Schema.Check(j)));
        var ids = pumpco.Select(Id).Order().ToList();
        Assert.Equal(ExpectedPumpco(plant.Written).Select(e => (e.Item1, e.Item2, e.Item3)), ids.Select(i => (i.Asset, i.Sensor, i.Ts)));
        var withQuality = pumpco.Count(j => j.ContainsKey("quality"));
        Assert.InRange(withQuality, 600 / 10 * 4, pumpco.Count - 50);

        // fanco: the readings of each fan, summed over all windows of both policies, each counted exactly once
        foreach (var fan in new[] { "fan-01", "fan-02" })
        {
            var records = cloudFanco.Records.Select(r => JsonNode.Parse(r.Message.Value)!.AsObject()).Where(j => (string)j["asset"]! == fan).ToList();
            Assert.All(records, j => Assert.Empty(Schema.Check(j)));
            var readings = plant.Written.Where(r => r.Asset == fan && r.Sensor == "vibration").ToList();
            var counted = records.Sum(j => (int)j["window"]!["count"]!);
            var sum = records.Sum(j => (double)j["value"]! * (int)j["window"]!["count"]!);
            Assert.Equal(readings.Count - 3, counted); // the last 30 s window (3 readings) is still open
            Assert.Equal(readings.Take(readings.Count - 3).Sum(r => r.Value), sum, 6);
            var windows = records.Select(j => (string)j["window"]!["start"]!).ToList();
            Assert.True(windows.Count == windows.Distinct().Count() || records.Count(j => (int)j["window"]!["count"]! < 3) > 0,
                "a window appears twice only when the policy change split it");
        }
    }
}
