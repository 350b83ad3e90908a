using Microsoft.Extensions.Configuration;

namespace IotTelemetry.Anomaly.Tests;

public class OptionsTests
{
    [Fact]
    public void Invalid_values_are_reported_with_their_configuration_key()
    {
        var options = new AnomalyOptions
        {
            Rules =
            [
                new SensorRuleOptions { Match = "*/*/*", Stuck = new StuckOptions() },
                new SensorRuleOptions { Match = "plant-a/pump-*", Limits = new LimitsOptions { Low = 5, High = 1 } },
                new SensorRuleOptions { ZScore = new ZScoreOptions { Sigma = -1 } },
            ],
            Correlations = [new CorrelationRuleOptions { Name = "x", Sensors = ["vibration"] }],
        };
        var e = Assert.Throws<AnomalyOptionsException>(() => new AnomalyEngine(options));
        Assert.Contains("Anomaly:Rules:2:ZScore:Sigma must be > 0, got -1", e.Errors);
        Assert.Contains("Anomaly:Rules:1:Match must be a glob of three '/'-separated segments (site/asset/sensor), got 'plant-a/pump-*'", e.Errors);
        Assert.Contains("Anomaly:Rules:1:Limits:Low must be < High (1), got 5", e.Errors);
        Assert.Contains("Anomaly:Correlations:0:Sensors must list at least 2 sensor names, got 1", e.Errors);
        Assert.Equal(4, e.Errors.Count);
    }

    [Fact]
    public void Invalid_transition_settings_of_the_learned_detector_name_their_keys()
    {
        var options = new AnomalyOptions
        {
            Rules =
            [
                new SensorRuleOptions
                {
                    Learned = new LearnedOptions { TransitionScale = -1, TransitionBins = 7, TransitionHorizon = 1 },
                },
                new SensorRuleOptions { Learned = new LearnedOptions { TransitionBins = 66 } },
            ],
        };
        var e = Assert.Throws<AnomalyOptionsException>(() => new AnomalyEngine(options));
        Assert.Contains("Anomaly:Rules:0:Learned:TransitionScale must be >= 0, got -1", e.Errors);
        Assert.Contains("Anomaly:Rules:0:Learned:TransitionBins must be even and in [2, 64], got 7", e.Errors);
        Assert.Contains("Anomaly:Rules:0:Learned:TransitionHorizon must be > 1 and finite, got 1", e.Errors);
        Assert.Contains("Anomaly:Rules:1:Learned:TransitionBins must be even and in [2, 64], got 66", e.Errors);
        Assert.Equal(4, e.Errors.Count);
    }

    [Fact]
    public void Options_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Anomaly:Rules:0:Match"] = "plant-*/pump-*/vibration",
            ["Anomaly:Rules:0:ZScore:Sigma"] = "4",
            ["Anomaly:Rules:0:Learned:AlertScore"] = "0.6",
            ["Anomaly:Rules:1:Match"] = "*/*/*",
            ["Anomaly:Rules:1:Gap:ExpectedInterval"] = "00:00:10",
            ["Anomaly:Rules:1:Limits:High"] = "80",
            ["Anomaly:Rules:1:Limits:Severity"] = "Warning",
            ["Anomaly:Correlations:0:Name"] = "bearing-wear",
            ["Anomaly:Correlations:0:Sensors:0"] = "vibration",
            ["Anomaly:Correlations:0:Sensors:1"] = "bearing_temp",
            ["Anomaly:Correlations:0:Window"] = "00:05:00",
            ["Anomaly:Alerts:CoolDown"] = "00:15:00",
        }).Build();
        var options = configuration.GetSection(AnomalyOptions.SectionName).Get<AnomalyOptions>()!;
        options.Validate();
        Assert.Equal(4, options.Rules[0].ZScore!.Sigma);
        Assert.Equal(0.6, options.Rules[0].Learned!.AlertScore);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Rules[1].Gap!.ExpectedInterval);
        Assert.Equal((80.0, Severity.Warning), (options.Rules[1].Limits!.High!.Value, options.Rules[1].Limits!.Severity));
        Assert.Equal(["vibration", "bearing_temp"], options.Correlations[0].Sensors);
        Assert.Equal(TimeSpan.FromMinutes(15), options.Alerts.CoolDown);
    }

    [Fact]
    public void First_matching_rule_wins_for_each_detector_kind()
    {
        var options = new AnomalyOptions
        {
            Rules =
            [
                new SensorRuleOptions { Match = "plant-a/pump-*/temp", Limits = new LimitsOptions { High = 50 } },
                new SensorRuleOptions { Match = "*/*/*", Limits = new LimitsOptions { High = 100 }, Stuck = new StuckOptions { Count = 3 } },
            ],
        };
        var engine = new AnomalyEngine(options);
        var events = Signals.Run(engine, [Signals.At(0, 60), Signals.At(1, 60), Signals.At(2, 60), Signals.At(3, 60, asset: "fan-01")]);
        Assert.Equal(["limits", "stuck"], events.Where(e => e.Asset == "pump-01").Select(e => e.Rule));
        Assert.DoesNotContain(events, e => e.Asset == "fan-01");
    }
}
