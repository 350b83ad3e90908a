using System.Diagnostics;
using IotTelemetry.Anomaly;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;
using Microsoft.Extensions.Configuration;

namespace IotTelemetry.Benchmarks;

/// <summary>
/// Readings per second through the cloud's default detector set (the Anomaly section of
/// cloud/IotTelemetry.Cloud/appsettings.json) on one thread, beside a bare windowed Gaussian over the same
/// readings; the same without its learned detector and with the multivariate detector (per asset) added; memory per sensor.
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

        // The same set without its learned detector, and with the multivariate detector added on every asset.
        var plainOptions = new AnomalyOptions
        {
            Rules = [.. options.Rules.Select(r => new SensorRuleOptions
            {
                Match = r.Match, Limits = r.Limits, ZScore = r.ZScore, RateOfChange = r.RateOfChange, Stuck = r.Stuck, Gap = r.Gap,
            })],
            Correlations = options.Correlations,
            Alerts = options.Alerts,
        };
        var multivariateOptions = new AnomalyOptions
        {
            Rules = options.Rules,
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
        var plain = Measure(() => Feed(plainOptions));
        var withMultivariate = Measure(() => Feed(multivariateOptions));
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

        var plainBytes = BytesPerSensor(plainOptions); // measured before the default set's: in this order both are positive
        var bytes = BytesPerSensor(options);
        var total = values.Length;
        Report.Table($"Anomaly detector: {total:N0} readings over {Sensors:N0} sensors, one thread (best of 3)",
        [
            ("readings/s, default detector set vs a bare windowed Gaussian", Report.Rate(total / ours), Report.Rate(total / baseline), Report.Ratio(total / ours, total / baseline)),
            ("target: default set >= 1,000,000 readings/s", total / ours >= 1_000_000 ? "met" : "NOT met", "", ""),
            ("memory per sensor (10,000 sensors, 60 readings each)", $"{bytes:N0} bytes", "", ""),
            ("readings/s, default set vs the same without its learned detector", Report.Rate(total / ours), Report.Rate(total / plain), Report.Ratio(total / ours, total / plain)),
            ("learned detector cost per reading", $"{1e9 * (ours - plain) / total:F0} ns", "", ""),
            ("memory per sensor without the learned detector (same)", $"{plainBytes:N0} bytes", "", ""),
            ("readings/s, default set + multivariate per asset vs the default set", Report.Rate(total / withMultivariate), Report.Rate(total / ours), Report.Ratio(total / withMultivariate, total / ours)),
            ("multivariate detector cost per reading", $"{1e9 * (withMultivariate - ours) / total:F0} ns", "", ""),
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
