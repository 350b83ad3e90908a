namespace IotTelemetry.Anomaly.Tests;

/// <summary>A detector killed mid-stream and restarted from its model snapshot goes on exactly as one that never stopped.</summary>
public class ModelSnapshotTests
{
    private const long Start = 1_700_000_000_000_000;
    private static readonly string[] Names = ["flow", "pressure", "current"];

    private static AnomalyOptions Options() => new()
    {
        Rules = [new SensorRuleOptions { Match = "*/*/*", Learned = new LearnedOptions() }],
        Multivariate = [new MultivariateOptions { Match = "*/*", WarmUp = 300 }],
    };

    /// <summary>Two pumps, three related sensors each; from row 1300 pump-2's pressure leaves its relation to flow.</summary>
    private static IEnumerable<(string Asset, string Sensor, long Ts, double Value)> Readings(int from, int to)
    {
        for (var t = from; t < to; t++)
            foreach (var asset in new[] { "pump-1", "pump-2" })
            {
                var random = new Random(t * 7 + asset.Length + asset[^1]);
                var flow = 5 + Math.Sin(t / 40.0) + 0.05 * random.NextDouble();
                double[] row = [flow, 10 - 0.5 * flow + 0.05 * random.NextDouble() + (asset == "pump-2" && t >= 1300 ? 0.6 : 0), 2 + 0.3 * flow + 0.05 * random.NextDouble()];
                for (var s = 0; s < 3; s++) yield return (asset, Names[s], Start + t * 1_000_000L, row[s]);
            }
    }

    private static List<AlertEvent> Feed(AnomalyEngine engine, int from, int to)
    {
        var events = new List<AlertEvent>();
        foreach (var (asset, sensor, ts, value) in Readings(from, to)) events.AddRange(engine.Process("plant", asset, sensor, ts, value));
        return events;
    }

    private static byte[] Snapshot(AnomalyEngine engine)
    {
        using var stream = new MemoryStream();
        engine.SaveModels(stream);
        return stream.ToArray();
    }

    [Fact]
    public void A_restarted_detector_scores_the_next_readings_as_the_uninterrupted_one_does()
    {
        var uninterrupted = new AnomalyEngine(Options());
        Feed(uninterrupted, 0, 1200);
        var expected = Feed(uninterrupted, 1200, 2000);

        var killed = new AnomalyEngine(Options());
        Feed(killed, 0, 1200);
        var snapshot = Snapshot(killed);
        killed = null; // the process dies: nothing but the snapshot survives

        var restarted = new AnomalyEngine(Options());
        Assert.Equal(8, restarted.RestoreModels(new MemoryStream(snapshot))); // 6 learned detectors, 2 asset models
        Assert.True(restarted.MultivariateOf("plant", "pump-1")!.Fitted);
        var actual = Feed(restarted, 1200, 2000);

        Assert.Contains(expected, e => e.Rule == RuleNames.Multivariate && e.Asset == "pump-2" && e.Kind == AlertEventKind.Raised
            && e.EventMicros < Start + 1500 * 1_000_000L);
        Assert.Equal(expected.Select(e => (e.AlertId, e.Kind, e.Score, e.EventMicros)), actual.Select(e => (e.AlertId, e.Kind, e.Score, e.EventMicros)));
        Assert.Equal(Snapshot(uninterrupted), Snapshot(restarted));

        // A fresh engine (no snapshot) warms up again (300 rows) and misses the fault the restored one raised.
        var fresh = Feed(new AnomalyEngine(Options()), 1200, 2000);
        Assert.DoesNotContain(fresh, e => e.Rule == RuleNames.Multivariate && e.Kind == AlertEventKind.Raised && e.EventMicros < Start + 1500 * 1_000_000L);
    }

    [Fact]
    public void Known_sensors_keep_their_models_and_models_that_do_not_fit_the_options_are_skipped()
    {
        var source = new AnomalyEngine(Options());
        Feed(source, 0, 500);
        var snapshot = Snapshot(source);

        var busy = new AnomalyEngine(Options());
        Feed(busy, 0, 10);
        Assert.Equal(0, busy.RestoreModels(new MemoryStream(snapshot)));

        var other = Options();
        other.Rules[0].Learned = new LearnedOptions { DailySlots = 0 };
        other.Multivariate[0].Sensors = ["flow", "current"];
        var mismatched = new AnomalyEngine(other);
        Assert.Equal(0, mismatched.RestoreModels(new MemoryStream(snapshot)));
        Assert.Empty(Feed(mismatched, 0, 50));
    }

    [Fact]
    public void A_stream_that_is_not_a_snapshot_is_rejected_with_a_message()
    {
        var engine = new AnomalyEngine(Options());
        var e = Assert.Throws<InvalidDataException>(() => engine.RestoreModels(new MemoryStream([9, 0, 0, 0])));
        Assert.Contains("expected version 3, got 9", e.Message, StringComparison.Ordinal);
        var cut = Snapshot(new AnomalyEngine(Options()))[..3];
        Assert.Throws<InvalidDataException>(() => engine.RestoreModels(new MemoryStream(cut)));
    }
}
