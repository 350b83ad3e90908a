using System.Diagnostics;
using IotTelemetry.Anomaly;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;
using Microsoft.Extensions.Configuration;

namespace IotTelemetry.Benchmarks;

/// <summary>
/// Readings per second through the cloud's default detector set (the Anomaly section of
/// cloud/IotTelemetry.Cloud/appsettings.json) on one thread, beside a bare windowed Gaussian over the same
/// readings; the same with the learned detector (per sensor) and the multivariate one (per asset) added; memory per sensor for both.
/// </summary>
internal static class DetectorBench
{
    private const int Sensors = 1_000;
    private const int PerSensor = 2_000;

    public static void Run()
    {
        var options = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepoPaths.Root, "cloud", "IotTelemetry.Cloud", "appsettings.json"))
            .Build().GetSection("Anomaly").Get<AnomalyOptions>() ?? new AnomalyOptions();

        // Readings interleaved across sensors, as a topic delivers them: a slow cycle plus noise.
        var random = new Random(3);
        var keys = Enumerable.Range(0, Sensors).Select(i => ($"pump-{i / 4:000}", SensorProfileName(i))).ToArray();
        var values = new double[Sensors * PerSensor];
        var stamps = new long[Sensors * PerSensor];
        var t0 = UnixMicros.Now() - (long)PerSensor * 200_000;
        for (var n = 0; n < PerSensor; n++)
            for (var s = 0; s < Sensors; s++)
            {
                values[n * Sensors + s] = 50 + 5 * Math.Sin(n / 300.0 + s) + Gaussian(random);
                stamps[n * Sensors + s] = t0 + n * 200_000L;
            }

        // The same set with the learned detector (its NAB-tuned defaults) on every sensor and the multivariate one on every asset.
        var learnedOptions = new AnomalyOptions
        {
            Rules = [new SensorRuleOptions { Match = "*/*/*", Learned = new LearnedOptions() }, .. options.Rules],
            Multivariate = [new MultivariateOptions { Match = "*/*" }],
            Correlations = options.Correlations,
            Alerts = options.Alerts,
        };
        void Feed(AnomalyOptions set)
        {
            var engine = new AnomalyEngine(set);
            for (var i = 0; i < values.Length; i++)
            {
                var (asset, sensor) = keys[i % Sensors];
                engine.Process("plant-a", asset, sensor, stamps[i], values[i]);
            }
        }
        var ours = Measure(() => Feed(options));
        var withLearned = Measure(() => Feed(learnedOptions));
        var baseline = Measure(() =>
        {
            var mean = new double[Sensors];
            var variance = new double[Sensors];
            var index = new Dictionary<(string, string, string), int>();
            for (var s = 0; s < Sensors; s++) index[("plant-a", keys[s].Item1, keys[s].Item2)] = s;
            var alarms = 0;
            for (var i = 0; i < values.Length; i++)
            {
                var (asset, sensor) = keys[i % Sensors];
                var s = index[("plant-a", asset, sensor)];
                var d = values[i] - mean[s];
                if (d * d > 9 * variance[s] && i > Sensors * 50) alarms++;
                mean[s] += 0.04 * d;
                variance[s] = 0.96 * (variance[s] + 0.04 * d * d);
            }
            GC.KeepAlive(alarms);
        });

        // Memory per sensor: the engine's growth for 10,000 new sensors after warm-up readings.
        double BytesPerSensor(AnomalyOptions set)
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var big = new AnomalyEngine(set);
            for (var s = 0; s < 10_000; s++)
                for (var n = 0; n < 60; n++)
                    big.Process("plant-a", $"asset-{s / 4}", $"sensor-{s % 4}", t0 + n * 200_000L, 50 + Gaussian(random));
            var after = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(big);
            return (after - before) / 10_000.0;
        }

        var total = values.Length;
        Report.Table($"Anomaly detector: {total:N0} readings over {Sensors:N0} sensors, one thread (best of 3)",
        [
            ("readings/s, default detector set vs a bare windowed Gaussian", Report.Rate(total / ours), Report.Rate(total / baseline), Report.Ratio(total / ours, total / baseline)),
            ("target: default set >= 1,000,000 readings/s", total / ours >= 1_000_000 ? "met" : "NOT met", "", ""),
            ("memory per sensor (10,000 sensors, 60 readings each)", $"{BytesPerSensor(options):N0} bytes", "", ""),
            ("readings/s, default set + learned + multivariate vs the default set", Report.Rate(total / withLearned), Report.Rate(total / ours), Report.Ratio(total / withLearned, total / ours)),
            ("memory per sensor, default set + learned + multivariate (same)", $"{BytesPerSensor(learnedOptions):N0} bytes", "", ""),
            ("learned + multivariate cost per reading", $"{1e9 * (withLearned - ours) / total:F0} ns", "", ""),
        ]);
    }

    private static string SensorProfileName(int i) => (i % 4) switch { 0 => "temperature", 1 => "vibration", 2 => "pressure", _ => "current" };

    private static double Measure(Action run)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
