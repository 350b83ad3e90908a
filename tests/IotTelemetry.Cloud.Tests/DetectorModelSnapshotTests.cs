using IotTelemetry.Anomaly;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Cloud.Tests;

/// <summary>
/// The detector killed after its multivariate model of a pump is fitted and restarted on the same data directory:
/// the model comes back from the snapshot beside the journal, so the restarted detector raises a broken relation
/// at once instead of warming up again (100 rows here) and learning the fault as normal.
/// </summary>
public sealed class DetectorModelSnapshotTests : IDisposable
{
    private readonly MockCluster _kafka = new();
    private static readonly string[] Sensors = ["flow", "pressure", "current"];

    public DetectorModelSnapshotTests()
    {
        _kafka.CreateTopic("telemetry", 1); // one partition: the pump's sensors arrive interleaved in time order
        _kafka.CreateTopic("alerts", 1);
        _kafka.CreateTopic("telemetry.deadletter", 1);
    }

    public void Dispose() => _kafka.Dispose();

    private static Dictionary<string, string> Multivariate() => new()
    {
        ["Anomaly:Multivariate:0:Match"] = "plant-m/*",
        ["Anomaly:Multivariate:0:Sensors:0"] = Sensors[0],
        ["Anomaly:Multivariate:0:Sensors:1"] = Sensors[1],
        ["Anomaly:Multivariate:0:Sensors:2"] = Sensors[2],
        ["Anomaly:Multivariate:0:WarmUp"] = "100",
        // The cloud defaults' entry 0 (every asset) sets these for a plant's load cycle; this test's pump has none.
        ["Anomaly:Multivariate:0:WarmUpStride"] = "1",
        ["Anomaly:Multivariate:0:LearningRate"] = "0.0005",
        ["Anomaly:Multivariate:0:AlertScore"] = "1",
    };

    private ExternalProcess StartDetector(string dataDir)
    {
        var settings = new Dictionary<string, string>(Multivariate())
        {
            ["Cloud:DataDir"] = dataDir,
            ["Cloud:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Kafka:Cloud:BootstrapServers"] = _kafka.BootstrapServers,
            ["Lake:Enabled"] = "false",
            ["Rollups:Enabled"] = "false",
            ["Detector:CheckpointInterval"] = "00:00:00.100",
            ["Detector:ModelInterval"] = "00:00:00.300",
            ["Anomaly:Rules:2:Gap:Intervals"] = "100000", // the readings are old: no data-gap alerts
        };
        return Programs.Start(Programs.CloudDll, settings);
    }

    [Fact]
    public async Task A_restarted_detector_continues_from_its_model_snapshot_instead_of_warming_up_again()
    {
        using var producer = new ReadingProducer(_kafka.BootstrapServers);
        var t0 = UnixMicros.Now() - 3_600_000_000;
        var row = 0;
        void Send(int rows, double pressureShift)
        {
            var readings = new List<Reading>();
            for (var i = 0; i < rows; i++, row++)
            {
                var random = new Random(row);
                var flow = 5 + Math.Sin(row / 15.0) + 0.05 * random.NextDouble();
                double[] values = [flow, 10 - 0.5 * flow + 0.05 * random.NextDouble() + pressureShift, 2 + 0.3 * flow + 0.05 * random.NextDouble()];
                for (var s = 0; s < 3; s++)
                    readings.Add(new Reading("plant-m", "pump-1", Sensors[s], t0 + row * 1_000_000L, values[s], Quality.Good, "", "test", t0));
            }
            producer.Produce(readings);
        }
        List<AlertEvent> Raised(string dir)
        {
            var path = Path.Combine(dir, "alerts.jsonl");
            if (!File.Exists(path)) return [];
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return AlertJson.ReadLines(new StreamReader(stream)).Where(e => e.Rule == RuleNames.Multivariate && e.Kind == AlertEventKind.Raised).ToList();
        }
        // The snapshot holds a fitted model when an engine restored from it raises the broken relation at once.
        bool SnapshotFitted(string dir)
        {
            var path = Path.Combine(dir, "models.bin");
            if (!File.Exists(path)) return false;
            var options = new AnomalyOptions
            {
                Multivariate = [new MultivariateOptions { Match = "plant-m/*", Sensors = [.. Sensors], WarmUp = 100 }],
            };
            var engine = new AnomalyEngine(options);
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                if (engine.RestoreModels(file) != 1) return false;
            for (var t = 0; t < 30; t++)
                for (var s = 0; s < 3; s++)
                    if (engine.Process("plant-m", "pump-1", Sensors[s], t0 + (10_000 + t) * 1_000_000L, s switch { 0 => 5.0, 1 => 8.1, _ => 3.5 })
                        .Any(e => e.Rule == RuleNames.Multivariate && e.Kind == AlertEventKind.Raised)) return true;
            return false;
        }

        var dir = RepoPaths.NewTempDirectory("detector-models");
        await using (var a = StartDetector(dir))
        {
            Send(150, 0);
            await Wait.UntilAsync(() => SnapshotFitted(dir), "a model snapshot with the pump's fitted model", TimeSpan.FromSeconds(90));
            a.Kill(); // SIGKILL: only the snapshot and the journal survive
        }
        Assert.Empty(Raised(dir));

        await using var b = StartDetector(dir);
        await Wait.UntilAsync(() => b.Lines.Any(l => l.Contains("learned models restored", StringComparison.Ordinal)), "the snapshot restored at start", TimeSpan.FromSeconds(60));
        Send(40, 0.6); // pressure leaves its relation to flow: a warming detector would fit this as normal
        try
        {
            await Wait.UntilAsync(() => Raised(dir).Count > 0, "the multivariate alert raised by the restarted detector", TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "; output:\n" + string.Join("\n", b.Lines.TakeLast(30)), ex);
        }
        var raised = Assert.Single(Raised(dir));
        Assert.Equal("pump-1", raised.Asset);
        Assert.Contains("most off: pressure", raised.Message, StringComparison.Ordinal);
        Assert.True(raised.EventMicros < t0 + 190L * 1_000_000, $"raised at row {(raised.EventMicros - t0) / 1_000_000}");
        // The pump's model and its three sensors' learned detectors (on every sensor in the cloud defaults).
        Assert.Contains(b.Lines, l => l.Contains("4 learned models restored", StringComparison.Ordinal));
    }
}
