using IotTelemetry.Simulator;
using IotTelemetry.TestKit;
using Microsoft.Extensions.Configuration;

namespace IotTelemetry.Anomaly.Tests;

/// <summary>
/// The cloud's default rules (cloud/IotTelemetry.Cloud/appsettings.json) on make run's simulated plant, in
/// process and in event time (90 s of plant time): every fault is raised and no alert is raised on a healthy sensor.
/// </summary>
public class DefaultRulesTests
{
    private static AnomalyOptions CloudDefaults() =>
        new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoPaths.Root, "cloud", "IotTelemetry.Cloud", "appsettings.json")).Build()
            .GetSection(AnomalyOptions.SectionName).Get<AnomalyOptions>()!;

    private static List<AlertEvent> Run(List<FaultOptions> faults, double seconds)
    {
        var plant = new PlantSimulator(new SimulatorOptions { Faults = faults }, 1_800_000_000_000_000);
        var engine = new AnomalyEngine(CloudDefaults());
        var raised = new List<AlertEvent>();
        var ticks = (int)(seconds * 5);
        for (var t = 0; t < ticks; t++)
            foreach (var r in plant.NextTick())
                raised.AddRange(engine.Process(r.Site, r.Asset, r.Sensor, r.TimestampMicros, r.Value).Where(e => e.Kind == AlertEventKind.Raised));
        return raised;
    }

    private static void AssertOnlyFaults(List<AlertEvent> raised, List<FaultOptions> faults)
    {
        bool Faulty(AlertEvent e) => faults.Any(f => f.Asset == e.Asset && (e.Sensor == f.Sensor || f.Kind == FaultKind.BearingFailure
            && (e.Sensor is "vibration" or "temperature" or "vibration+temperature") || e.Rule == RuleNames.Multivariate));
        Assert.All(raised, e => Assert.True(Faulty(e), $"raised on a healthy sensor: {e.Asset}/{e.Sensor} {e.Rule}: {e.Message}"));
        foreach (var f in faults)
            Assert.True(raised.Any(e => e.Asset == f.Asset && (f.Kind == FaultKind.BearingFailure || e.Sensor == f.Sensor)), $"{f.Kind} on {f.Asset} not raised");
    }

    [Fact]
    public void Make_runs_faults_are_each_raised_and_nothing_else()
    {
        var faults = SimulatorOptions.DefaultFaults();
        var raised = Run(faults, 90);
        AssertOnlyFaults(raised, faults);
    }

    [Fact]
    public void Faults_after_the_learned_detectors_warm_up_are_raised_and_nothing_else_is()
    {
        List<FaultOptions> faults =
        [
            new() { Kind = FaultKind.Spike, Asset = "pump-02", Sensor = "pressure", StartSeconds = 500, DurationSeconds = 1.0 },
            new() { Kind = FaultKind.StuckSensor, Asset = "pump-03", Sensor = "current", StartSeconds = 520, DurationSeconds = 40 },
            new() { Kind = FaultKind.BearingFailure, Asset = "pump-01", StartSeconds = 540, DurationSeconds = 60 },
        ];
        var raised = Run(faults, 660);
        AssertOnlyFaults(raised, faults);
        Assert.Contains(raised, e => e.Rule == RuleNames.Learned && e.Asset == "pump-02" && e.Sensor == "pressure");
    }
}
