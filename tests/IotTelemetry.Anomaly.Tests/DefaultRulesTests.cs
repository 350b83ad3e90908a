using IotTelemetry.Simulator;
using IotTelemetry.TestKit;
using Microsoft.Extensions.Configuration;

namespace IotTelemetry.Anomaly.Tests;

/// <summary>
/// The cloud's default rules (cloud/IotTelemetry.CloudHost/appsettings.json) on make run's simulated plant, in
/// process and in event time: every fault is raised and no alert is raised on a healthy sensor, at make run's times,
/// after the learned detector's warm-up, and after the multivariate detector's (its warm-up spans 6,000 rows, 20
/// minutes of plant time at 5 Hz, longer than an asset's load cycle).
/// </summary>
public class DefaultRulesTests
{
    private const long Start = 1_800_000_000_000_000;

    private static AnomalyOptions CloudDefaults() =>
        new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoPaths.Root, "cloud", "IotTelemetry.CloudHost", "appsettings.json")).Build()
            .GetSection(AnomalyOptions.SectionName).Get<AnomalyOptions>()!;

    private static List<AlertEvent> Run(List<FaultOptions> faults, double seconds)
    {
        var plant = new PlantSimulator(new SimulatorOptions { Faults = faults }, Start);
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

    /// <summary>make run's three faults, moved to start at <paramref name="seconds"/>, 20 s apart.</summary>
    private static List<FaultOptions> FaultsFrom(double seconds) =>
    [
        new() { Kind = FaultKind.Spike, Asset = "pump-02", Sensor = "pressure", StartSeconds = seconds, DurationSeconds = 1.0 },
        new() { Kind = FaultKind.StuckSensor, Asset = "pump-03", Sensor = "current", StartSeconds = seconds + 20, DurationSeconds = 40 },
        new() { Kind = FaultKind.BearingFailure, Asset = "pump-01", StartSeconds = seconds + 40, DurationSeconds = 60 },
    ];

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
        var faults = FaultsFrom(500);
        var raised = Run(faults, 660);
        AssertOnlyFaults(raised, faults);
        Assert.Contains(raised, e => e.Rule == RuleNames.Learned && e.Asset == "pump-02" && e.Sensor == "pressure");
    }

    [Fact]
    public void Faults_after_the_multivariate_warm_up_are_raised_by_it_and_a_healthy_hour_raises_nothing()
    {
        var faults = FaultsFrom(3300);
        var raised = Run(faults, 3460);
        AssertOnlyFaults(raised, faults);
        Assert.Contains(raised, e => e.Rule == RuleNames.Multivariate && e.Asset == "pump-01");
        Assert.Contains(raised, e => e.Rule == RuleNames.Multivariate && e.Asset == "pump-02");
        Assert.All(raised.Where(e => e.Rule == RuleNames.Multivariate), e => Assert.True(
            faults.Any(f => f.Asset == e.Asset && e.StartedMicros >= Start + (long)(f.StartSeconds * 1e6)), $"multivariate raised before its fault: {e.Asset} {e.Message}"));
    }
}
