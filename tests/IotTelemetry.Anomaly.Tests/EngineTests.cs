using IotTelemetry.Common.Readings;

namespace IotTelemetry.Anomaly.Tests;

public class EngineTests
{
    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static AnomalyOptions GapAndLimits() => new()
    {
        Rules =
        [
            new SensorRuleOptions
            {
                Match = "*/*/*",
                Limits = new LimitsOptions { High = 100 },
                Gap = new GapOptions { ExpectedInterval = TimeSpan.FromSeconds(1), Intervals = 5 },
            },
        ],
    };

    [Fact]
    public void Tick_without_argument_reads_the_time_provider()
    {
        var time = new ManualTime(UnixMicros.ToDateTimeOffset(Signals.Start + 10 * Signals.Second));
        var engine = new AnomalyEngine(GapAndLimits(), time);
        Signals.Run(engine, Enumerable.Range(0, 11).Select(t => Signals.At(t, 1)));
        Assert.Empty(engine.Tick());
        time.Now = time.Now.AddSeconds(6);
        var raised = Assert.Single(engine.Tick());
        Assert.Equal((AlertEventKind.Raised, RuleNames.Gap, 1.0), (raised.Kind, raised.Rule, raised.Value));
    }

    [Fact]
    public void Bad_quality_readings_are_not_judged_but_count_as_a_sign_of_life()
    {
        var engine = new AnomalyEngine(GapAndLimits());
        Signals.Run(engine, Enumerable.Range(0, 11).Select(t => Signals.At(t, 1)));
        var bad = Signals.At(14, 1e9) with { Quality = Quality.Bad };
        Assert.Empty(engine.Process(bad));
        Assert.Empty(engine.Tick(Signals.Start + 18 * Signals.Second));
        Assert.Single(engine.Tick(Signals.Start + 20 * Signals.Second));
    }

    [Fact]
    public void Snapshot_of_open_alerts_restores_the_same_open_set()
    {
        var engine = new AnomalyEngine(GapAndLimits());
        Signals.Run(engine, [Signals.At(0, 150, "a"), Signals.At(0, 150, "b"), Signals.At(1, 150, "c"), Signals.At(2, 50, "c")]);
        var snapshot = engine.Alerts.Snapshot();
        Assert.Equal(["a", "b"], snapshot.Select(e => e.Sensor).Order());

        var book = new AlertBook();
        book.Restore(snapshot.Select(e => AlertJson.Deserialize(AlertJson.Serialize(e).AsSpan())));
        Assert.Equal(snapshot.Select(e => e.AlertId).Order(), book.Open.Select(e => e.AlertId).Order());
    }

    [Fact]
    public void Forgotten_sensor_starts_afresh_but_keeps_its_open_alert()
    {
        var engine = new AnomalyEngine(GapAndLimits());
        var raised = Assert.Single(engine.Process(Signals.At(0, 150)));
        Assert.True(engine.Forget("plant-a", "pump-01", "temp"));
        Assert.Equal(0, engine.SensorCount);
        var cleared = Assert.Single(engine.Process(Signals.At(1, 50)));
        Assert.Equal((AlertEventKind.Cleared, raised.AlertId), (cleared.Kind, cleared.AlertId));
    }

    [Fact]
    public void Steady_state_processing_allocates_nothing()
    {
        var options = new AnomalyOptions
        {
            Rules =
            [
                new SensorRuleOptions
                {
                    Match = "*/*/*", Limits = new LimitsOptions { High = 1e9 }, ZScore = new ZScoreOptions(),
                    RateOfChange = new RateOfChangeOptions { MaxPerSecond = 1e9 }, Stuck = new StuckOptions(),
                    Gap = new GapOptions(), Learned = new LearnedOptions(),
                },
            ],
        };
        var engine = new AnomalyEngine(options);
        var readings = Enumerable.Range(0, 4000).Select(t => Signals.At(t, 10 + Math.Sin(t / 20.0))).ToArray();
        foreach (var r in readings.AsSpan(0, 2000)) engine.Process(r);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var events = 0;
        foreach (var r in readings.AsSpan(2000)) events += engine.Process(r).Count;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, events);
        Assert.Equal(0, allocated);
    }
}
