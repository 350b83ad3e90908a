namespace IotTelemetry.Anomaly.Tests;

/// <summary>Three sensors moving together (flow, pressure falling with flow, current rising with it) plus noise.</summary>
public class PcaDetectorTests
{
    private static readonly MultivariateOptions Options = new() { WarmUp = 300, LearningRate = 0, Smoothing = 0.5 };

    private static double[] Row(Random random, double flow, double pressureShift = 0) =>
        [flow + 0.05 * Gauss(random), 10 - 0.5 * flow + 0.05 * Gauss(random) + pressureShift, 2 + 0.3 * flow + 0.05 * Gauss(random)];

    private static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static PcaDetector Trained(Random random)
    {
        var d = new PcaDetector(Options, 3);
        for (var i = 0; i < Options.WarmUp; i++) Assert.Equal(0, d.Observe(Row(random, 5 + Math.Sin(i / 10.0))));
        Assert.True(d.Fitted);
        return d;
    }

    [Fact]
    public void Normal_rows_after_the_warm_up_stay_mostly_under_the_alert_score()
    {
        var random = new Random(3);
        var d = Trained(random);
        var alarms = 0;
        for (var i = 0; i < 1000; i++) if (d.Observe(Row(random, 5 + Math.Sin(i / 7.0))) >= Options.AlertScore) alarms++;
        Assert.True(alarms < 20, $"{alarms} of 1000 normal rows alarmed");
        Assert.Equal(1, d.Components);
    }

    [Fact]
    public void A_wandering_sensor_is_left_out_of_the_model_and_its_later_level_raises_nothing()
    {
        // Sensor 3 is a random walk (a temperature following the load): the warm-up sees only part of its range.
        var random = new Random(6);
        var d = new PcaDetector(Options, 4);
        var walk = 50.0;
        double[] Next(double pressureShift = 0)
        {
            walk += 0.2 * Gauss(random);
            return [.. Row(random, 5 + 0.2 * Gauss(random), pressureShift), walk];
        }
        for (var i = 0; i < Options.WarmUp; i++) d.Observe(Next());
        Assert.Equal([false, false, false, true], d.Slow.ToArray());
        walk += 30; // far beyond anything the warm-up saw
        var alarms = 0;
        for (var i = 0; i < 200; i++) if (d.Observe(Next()) >= Options.AlertScore) alarms++;
        Assert.True(alarms < 10, $"{alarms} of 200 rows alarmed on the wandering sensor");
        var score = 0.0;
        for (var i = 0; i < 10; i++) score = d.Observe(Next(pressureShift: 0.4));
        Assert.True(score >= Options.AlertScore, $"broken pressure relation: score {score}");
        Assert.Equal(0, d.Contributions[3]);
    }

    [Fact]
    public void With_SlowRatio_0_every_sensor_stays_in_the_model()
    {
        var random = new Random(6);
        var off = new PcaDetector(new MultivariateOptions { WarmUp = 300, SlowRatio = 0 }, 2);
        var on = new PcaDetector(new MultivariateOptions { WarmUp = 300 }, 2);
        var walk = 0.0;
        for (var i = 0; i < 300; i++)
        {
            walk += Gauss(random);
            double[] row = [Gauss(random), walk];
            off.Observe(row);
            on.Observe(row);
        }
        Assert.DoesNotContain(true, off.Slow.ToArray());
        Assert.Equal([false, true], on.Slow.ToArray());
    }

    [Fact]
    public void A_pressure_that_leaves_its_relation_to_flow_alarms_and_is_named_first()
    {
        // Every sensor stays inside its own normal range: only the joint behaviour is broken (Q, off the model plane).
        var random = new Random(4);
        var d = Trained(random);
        var score = 0.0;
        for (var i = 0; i < 10; i++) score = d.Observe(Row(random, 5, pressureShift: 0.4));
        Assert.True(score >= Options.AlertScore, $"score {score}");
        Assert.True(d.LastRatios.Q > d.LastRatios.T2);
        Assert.Equal(1, d.TopContributors(1)[0]);
    }

    [Fact]
    public void A_move_along_the_learned_relation_but_far_beyond_its_range_alarms_on_T2()
    {
        var random = new Random(5);
        var d = Trained(random);
        var score = 0.0;
        for (var i = 0; i < 10; i++) score = d.Observe(Row(random, 9));
        Assert.True(score >= Options.AlertScore, $"score {score}");
        Assert.True(d.LastRatios.T2 > 1, $"T2 ratio {d.LastRatios.T2}");
    }

    [Fact]
    public void Slow_learning_follows_a_slow_drift_that_a_frozen_model_alarms_on()
    {
        int Alarms(double rate)
        {
            var random = new Random(6);
            var d = new PcaDetector(new MultivariateOptions { WarmUp = 300, LearningRate = rate, RefitEvery = 50 }, 3);
            var alarms = 0;
            for (var i = 0; i < 5000; i++)
            {
                var row = Row(random, 5 + Math.Sin(i / 10.0));
                for (var s = 0; s < 3; s++) row[s] += i * 0.0004; // every sensor drifts by 2 over the run
                if (d.Observe(row) >= 1) alarms++;
            }
            return alarms;
        }
        var frozen = Alarms(0);
        var learning = Alarms(0.005);
        Assert.True(learning < frozen / 4, $"learning {learning}, frozen {frozen}");
    }

    [Fact]
    public void Non_finite_values_and_wrong_row_lengths_do_not_move_the_model()
    {
        var random = new Random(7);
        var d = Trained(random);
        var before = d.Observe(Row(random, 5));
        Assert.Equal(before, d.Observe([double.NaN, 1, 2]));
        Assert.Throws<ArgumentException>(() => d.Observe([1.0, 2.0]));
    }

    [Fact]
    public void The_engine_learns_an_assets_sensors_and_raises_one_alert_naming_the_sensor_that_left_the_relation()
    {
        var options = new AnomalyOptions { Multivariate = [new MultivariateOptions { Match = "plant/pump-*", WarmUp = 300 }] };
        var engine = new AnomalyEngine(options);
        string[] names = ["flow", "pressure", "current"];
        var random = new Random(8);
        var events = new List<AlertEvent>();
        const long start = 1_700_000_000_000_000;
        for (var t = 0; t < 800; t++)
        {
            var row = Row(random, 5 + Math.Sin(t / 10.0), pressureShift: t >= 700 ? 0.4 : 0);
            for (var s = 0; s < 3; s++) events.AddRange(engine.Process("plant", "pump-1", names[s], start + t * 1_000_000L, row[s]));
            if (t == 699) Assert.Empty(events);
        }
        var raised = Assert.Single(events, e => e.Kind == AlertEventKind.Raised);
        Assert.Equal(RuleNames.Multivariate, raised.Rule);
        Assert.Equal("pump-1", raised.Asset);
        Assert.Contains("most off: pressure", raised.Message, StringComparison.Ordinal);
        Assert.Equal(3, engine.MultivariateOf("plant", "pump-1")!.Sensors);
        Assert.Null(engine.MultivariateOf("other", "x"));
    }

    [Fact]
    public void Invalid_multivariate_settings_name_their_keys()
    {
        var options = new AnomalyOptions
        {
            Multivariate = [new MultivariateOptions { Match = "a/b/c", Sensors = ["x"], Quantile = 1, WarmUp = 3, SlowRatio = 0.5 }],
        };
        var e = Assert.Throws<AnomalyOptionsException>(() => new AnomalyEngine(options));
        Assert.Contains("Anomaly:Multivariate:0:Match must be a glob of two '/'-separated segments (site/asset), got 'a/b/c'", e.Errors);
        Assert.Contains("Anomaly:Multivariate:0:Sensors must list at least 2 sensor names or none, got 1", e.Errors);
        Assert.Contains("Anomaly:Multivariate:0:Quantile must be in (0, 1), got 1", e.Errors);
        Assert.Contains("Anomaly:Multivariate:0:WarmUp must be >= 10 rows, got 3", e.Errors);
        Assert.Contains("Anomaly:Multivariate:0:SlowRatio must be 0 (keep every sensor) or a finite number > 1, got 0.5", e.Errors);
        Assert.Equal(5, e.Errors.Count);
    }

    [Fact]
    public void A_refit_keeps_the_number_of_components_the_warm_up_chose()
    {
        // Warm-up: the three sensors move together (one component). Then independent noise of the same spread: the
        // learned correlation fades and a fresh choice would keep more components, for which the limits were not set.
        var random = new Random(8);
        var d = new PcaDetector(new MultivariateOptions { WarmUp = 300, LearningRate = 0.01, RefitEvery = 50, AlertScore = 1e9 }, 3);
        for (var i = 0; i < 300; i++) d.Observe(Row(random, 5 + Math.Sin(i / 10.0)));
        Assert.Equal(1, d.Components);
        for (var i = 0; i < 3000; i++) d.Observe([5 + 0.7 * Gauss(random), 7.5 + 0.35 * Gauss(random), 3.5 + 0.2 * Gauss(random)]);
        Assert.Equal(1, d.Components);
    }

    [Fact]
    public void A_warm_up_stride_spans_that_many_times_the_rows_and_its_model_judges_the_whole_cycle()
    {
        var options = new MultivariateOptions { WarmUp = 50, WarmUpStride = 10, LearningRate = 0 };
        var d = new PcaDetector(options, 3);
        var random = new Random(9);
        for (var i = 0; i < 499; i++) d.Observe(Row(random, 5 + Math.Sin(i / 80.0)));
        Assert.False(d.Fitted);
        d.Observe(Row(random, 5 + Math.Sin(499 / 80.0)));
        Assert.True(d.Fitted);
        Assert.Equal(1, d.Components);
        var alarms = 0;
        for (var i = 500; i < 1500; i++) if (d.Observe(Row(random, 5 + Math.Sin(i / 80.0))) >= options.AlertScore) alarms++;
        Assert.True(alarms < 20, $"{alarms} of 1000 normal rows alarmed");
        for (var i = 0; i < 10; i++) d.Observe(Row(random, 5, pressureShift: 1));
        Assert.True(d.Observe(Row(random, 5, pressureShift: 1)) >= options.AlertScore, "a broken relation was not raised");
    }
}
