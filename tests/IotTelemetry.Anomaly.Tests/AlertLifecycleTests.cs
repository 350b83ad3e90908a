using IotTelemetry.Common.Readings;

namespace IotTelemetry.Anomaly.Tests;

public class AlertLifecycleTests
{
    private static AnomalyOptions Options() => new()
    {
        Rules = [new SensorRuleOptions { Match = "plant-*/pump-*/temp", Limits = new LimitsOptions { High = 100, Hysteresis = 5 } }],
        Alerts = new AlertPolicyOptions { UpdateInterval = TimeSpan.FromSeconds(60), CoolDown = TimeSpan.FromSeconds(300) },
    };

    /// <summary>Normal for 10 s, above the limit from 10 s to 200 s (peak 130 at 50 s), back to normal at 202 s.</summary>
    private static IEnumerable<Reading> Episode(long offset = 0)
    {
        for (var t = 0; t < 10; t++) yield return Signals.At(offset + t, 50);
        for (var t = 10; t <= 200; t++) yield return Signals.At(offset + t, t == 50 ? 130 : 120);
        yield return Signals.At(offset + 201, 97);
        yield return Signals.At(offset + 202, 90);
    }

    [Fact]
    public void One_alert_per_condition_with_rate_limited_updates_and_one_clear()
    {
        var events = Signals.Run(new AnomalyEngine(Options()), Episode());

        Assert.Equal(
            [AlertEventKind.Raised, AlertEventKind.Updated, AlertEventKind.Updated, AlertEventKind.Updated, AlertEventKind.Cleared],
            events.Select(e => e.Kind));
        var raised = events[0];
        Assert.Equal(Signals.Start + 10 * Signals.Second, raised.StartedMicros);
        Assert.Equal("plant-a/pump-01/temp|limits|" + raised.StartedMicros, raised.AlertId);
        Assert.All(events, e => Assert.Equal(raised.AlertId, e.AlertId));
        Assert.Equal(Severity.Critical, raised.Severity);
        Assert.Equal(100, raised.Threshold);
        Assert.Contains("above the high limit", raised.Message);
        Assert.Equal([70L, 130L, 190L], events.Skip(1).Take(3).Select(e => (e.EventMicros - Signals.Start) / Signals.Second));
        var cleared = events[^1];
        Assert.Equal(Signals.Start + 202 * Signals.Second, cleared.ClearedMicros);
        Assert.Equal(130, cleared.Peak);
        Assert.Equal(192 * Signals.Second, cleared.DurationMicros);
    }

    [Fact]
    public void Same_condition_does_not_raise_again_during_the_cool_down()
    {
        var engine = new AnomalyEngine(Options());
        Signals.Run(engine, Episode());
        var during = Signals.Run(engine, [Signals.At(210, 150), Signals.At(400, 150), Signals.At(501, 150)]);
        Assert.Empty(during);
        var after = Signals.Run(engine, [Signals.At(503, 150)]);
        var raised = Assert.Single(after);
        Assert.Equal(AlertEventKind.Raised, raised.Kind);
        Assert.EndsWith("|" + (Signals.Start + 503 * Signals.Second), raised.AlertId);
    }

    [Fact]
    public void Restored_engine_does_not_raise_an_open_alert_again_and_still_clears_it()
    {
        var first = new AnomalyEngine(Options());
        var journal = Signals.Run(first, Episode().Take(100));
        Assert.Equal(1, first.Alerts.OpenCount);

        var text = new StringWriter();
        foreach (var e in journal) AlertJson.WriteLine(text, e);
        var book = new AlertBook();
        book.Restore(AlertJson.ReadLines(new StringReader(text.ToString())));

        var second = new AnomalyEngine(Options(), book: book);
        var events = Signals.Run(second, Episode().Skip(100));
        Assert.DoesNotContain(events, e => e.Kind == AlertEventKind.Raised);
        var cleared = Assert.Single(events, e => e.Kind == AlertEventKind.Cleared);
        Assert.Equal(journal[0].AlertId, cleared.AlertId);
        Assert.Equal(130, cleared.Peak);
        Assert.Equal(0, second.Alerts.OpenCount);
    }

    [Fact]
    public void Restore_on_a_running_engine_takes_over_open_alerts_of_known_sensors()
    {
        var history = Signals.Run(new AnomalyEngine(Options()), Episode().Take(20));
        var engine = new AnomalyEngine(Options());
        Signals.Run(engine, Episode().Take(5));
        engine.Restore(history);
        var events = Signals.Run(engine, [Signals.At(300, 120), Signals.At(301, 50)]);
        Assert.Equal([AlertEventKind.Updated, AlertEventKind.Cleared], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(history[0].AlertId, e.AlertId));
    }

    [Fact]
    public void Restored_alert_of_a_rule_no_longer_configured_is_cleared()
    {
        var history = Signals.Run(new AnomalyEngine(Options()), Episode().Take(20));
        var other = new AnomalyOptions { Rules = [new SensorRuleOptions { Match = "*/*/temp", Stuck = new StuckOptions() }] };
        var book = new AlertBook();
        book.Restore(history);
        var events = new AnomalyEngine(other, book: book).Process(Signals.At(30, 50));
        var cleared = Assert.Single(events);
        Assert.Equal((AlertEventKind.Cleared, history[0].AlertId), (cleared.Kind, cleared.AlertId));
        Assert.Equal(0, book.OpenCount);
    }

    [Fact]
    public void Cleared_in_the_history_keeps_the_cool_down_after_a_restart()
    {
        var history = Signals.Run(new AnomalyEngine(Options()), Episode());
        var book = new AlertBook();
        book.Restore(history);
        Assert.Equal(0, book.OpenCount);
        var events = Signals.Run(new AnomalyEngine(Options(), book: book), [Signals.At(250, 150)]);
        Assert.Empty(events);
    }

    [Fact]
    public void Alert_event_round_trips_through_json()
    {
        var e = new AlertEvent(AlertEventKind.Cleared, "a/b/c|gap|1", "a", "b", "c", "gap", Severity.Warning, "gone",
            double.NaN, 6.5, 5, 1.25, 1, 2, 3);
        var json = AlertJson.Serialize(e);
        Assert.Contains("\"kind\":\"Cleared\"", json);
        Assert.Contains("\"severity\":\"Warning\"", json);
        Assert.DoesNotContain('\n', json);
        var back = AlertJson.Deserialize(json.AsSpan());
        Assert.Equal(e with { Value = 0 }, back with { Value = 0 });
        Assert.True(double.IsNaN(back.Value));
    }

    [Fact]
    public void Data_gap_is_raised_by_tick_and_cleared_by_the_next_reading()
    {
        var options = new AnomalyOptions
        {
            Rules = [new SensorRuleOptions { Match = "*/*/*", Gap = new GapOptions { ExpectedInterval = TimeSpan.FromSeconds(1), Intervals = 5 } }],
        };
        var engine = new AnomalyEngine(options);
        Signals.Run(engine, Enumerable.Range(0, 11).Select(t => Signals.At(t, 1)));
        Assert.Empty(engine.Tick(Signals.Start + 14 * Signals.Second));
        var raised = Assert.Single(engine.Tick(Signals.Start + 16 * Signals.Second));
        Assert.Equal((AlertEventKind.Raised, RuleNames.Gap), (raised.Kind, raised.Rule));
        Assert.Empty(engine.Tick(Signals.Start + 17 * Signals.Second));
        var cleared = Assert.Single(engine.Process(Signals.At(18, 1)));
        Assert.Equal((AlertEventKind.Cleared, raised.AlertId), (cleared.Kind, cleared.AlertId));
    }

    [Fact]
    public void Vibration_and_bearing_temperature_together_raise_bearing_wear()
    {
        var options = new AnomalyOptions
        {
            Rules =
            [
                new SensorRuleOptions { Match = "*/*/vibration", Limits = new LimitsOptions { High = 10 } },
                new SensorRuleOptions { Match = "*/*/bearing_temp", Limits = new LimitsOptions { High = 80, Severity = Severity.Warning } },
            ],
            Correlations =
            [
                new CorrelationRuleOptions
                {
                    Name = "bearing-wear", Match = "plant-*/pump-*", Sensors = ["vibration", "bearing_temp"],
                    Window = TimeSpan.FromMinutes(10), Reason = "bearing wear",
                },
            ],
        };
        var engine = new AnomalyEngine(options);
        var events = Signals.Run(engine,
        [
            Signals.At(0, 5, "vibration"), Signals.At(0, 60, "bearing_temp"),
            Signals.At(60, 12, "vibration"),
            Signals.At(60, 60, "bearing_temp"),
            Signals.At(1000, 90, "bearing_temp"),
        ]);
        Assert.DoesNotContain(events, e => e.Rule == "bearing-wear");

        events = Signals.Run(engine, [Signals.At(1100, 12, "vibration")]);
        var wear = Assert.Single(events, e => e.Rule == "bearing-wear");
        Assert.Equal((AlertEventKind.Raised, Severity.Critical, "vibration+bearing_temp"), (wear.Kind, wear.Severity, wear.Sensor));
        Assert.Contains("bearing wear", wear.Message);

        Assert.DoesNotContain(Signals.Run(engine, [Signals.At(1110, 12, "vibration")]), e => e.Rule == "bearing-wear");
        var later = Signals.Run(engine, [Signals.At(1000 + 601 + 60, 12, "vibration")]);
        Assert.Equal(AlertEventKind.Cleared, Assert.Single(later, e => e.Rule == "bearing-wear").Kind);
    }

    [Fact]
    public void Other_assets_do_not_take_part_in_a_correlated_rule()
    {
        var options = new AnomalyOptions
        {
            Rules = [new SensorRuleOptions { Match = "*/*/*", Limits = new LimitsOptions { High = 10 } }],
            Correlations = [new CorrelationRuleOptions { Name = "pair", Match = "*/*", Sensors = ["a", "b"] }],
        };
        var events = Signals.Run(new AnomalyEngine(options),
            [Signals.At(0, 20, "a", "pump-01"), Signals.At(1, 20, "b", "pump-02")]);
        Assert.DoesNotContain(events, e => e.Rule == "pair");
    }
}
