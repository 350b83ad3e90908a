using System.Diagnostics;
using IotTelemetry.Anomaly;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;
using Microsoft.Extensions.Configuration;

namespace IotTelemetry.Benchmarks;

/// <summary>
/// Readings per second through the cloud's default detector set (the Anomaly section of
/// cloud/IotTelemetry.CloudHost/appsettings.json) on one thread, beside a bare windowed Gaussian over the same
/// readings (the learned detector on every sensor, the multivariate one on every asset), each engine timed after
/// every warm-up; the same without its multivariate detector and without both; memory per sensor while warming and fitted.
/// </summary>
internal static class DetectorBench
{
    private const int Sensors = 1_000;
    private const int PerSensor = 2_000;
    private const int WarmBlocks = 4;

    public static void Run()
    {
        var options = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepoPaths.Root, "cloud", "IotTelemetry.CloudHost", "appsettings.json"))
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

        // The same set without its multivariate detector, and without both it and the learned detector.
        var noMultivariate = new AnomalyOptions { Rules = options.Rules, Correlations = options.Correlations, Alerts = options.Alerts };
        var plainOptions = new AnomalyOptions
        {
            Rules = [.. options.Rules.Select(r => new SensorRuleOptions
            {
                Match = r.Match, Limits = r.Limits, ZScore = r.ZScore, RateOfChange = r.RateOfChange, Stuck = r.Stuck, Gap = r.Gap,
            })],
            Correlations = options.Correlations,
            Alerts = options.Alerts,
        };

        // Each engine is first fed WarmBlocks blocks untimed (past every warm-up: the multivariate one spans 6,000 rows
        // per asset with the defaults), then timed over one more block at a time, continuing in event time.
        var block = 0;
        void Feed(AnomalyEngine engine)
        {
            var shift = block++ * (long)PerSensor * 200_000;
            for (var i = 0; i < values.Length; i++)
            {
                var (asset, sensor) = keys[i % Sensors];
                engine.Process("plant-a", asset, sensor, stamps[i] + shift, values[i]);
            }
        }
        double Timed(AnomalyOptions set)
        {
            var engine = new AnomalyEngine(set);
            for (var w = 0; w < WarmBlocks; w++) Feed(engine);
            return Measure(() => Feed(engine));
        }
        var ours = Timed(options);
        var withoutMultivariate = Timed(noMultivariate);
        var plain = Timed(plainOptions);
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

        // Memory per sensor: the engine's growth for new sensors after warm-up readings (sensors of one asset
        // interleaved, as a plant sends them, so that the multivariate detector forms its rows).
        double BytesPerSensor(AnomalyOptions set, int sensors, int readings)
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var big = new AnomalyEngine(set);
            for (var n = 0; n < readings; n++)
                for (var s = 0; s < sensors; s++)
                    big.Process("plant-a", $"asset-{s / 4}", $"sensor-{s % 4}", t0 + n * 200_000L, 50 + Gaussian(random));
            var after = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(big);
            return (after - before) / (double)sensors;
        }

        var plainBytes = BytesPerSensor(plainOptions, 10_000, 60); // measured before the default set's: in this order both are positive
        var bytes = BytesPerSensor(options, 10_000, 60);
        var fittedBytes = BytesPerSensor(options, 1_000, 6_400);
        var total = values.Length;
        var clock = ThreadCpuClock.Available ? "the thread's CPU time" : "wall time";
        Report.Table($"Anomaly detector: {total:N0} readings over {Sensors:N0} sensors, one thread, {clock} (best of 3)",
        [
            ("readings/s, default detector set vs a bare windowed Gaussian", Report.Rate(total / ours), Report.Rate(total / baseline), Report.Ratio(total / ours, total / baseline)),
            ("target: default set >= 1,000,000 readings/s", total / ours >= 1_000_000 ? "met" : "NOT met", "", ""),
            ("memory per sensor, warming (10,000 sensors, 60 readings each)", $"{bytes:N0} bytes", "", ""),
            ("memory per sensor, fitted (1,000 sensors, 6,400 readings each)", $"{fittedBytes:N0} bytes", "", ""),
            ("readings/s, default set vs the same without its multivariate detector", Report.Rate(total / ours), Report.Rate(total / withoutMultivariate), Report.Ratio(total / ours, total / withoutMultivariate)),
            ("multivariate detector cost per reading (4 sensors per asset)", $"{1e9 * (ours - withoutMultivariate) / total:F0} ns", "", ""),
            ("readings/s, without the multivariate detector vs also without the learned one", Report.Rate(total / withoutMultivariate), Report.Rate(total / plain), Report.Ratio(total / withoutMultivariate, total / plain)),
            ("learned detector cost per reading", $"{1e9 * (withoutMultivariate - plain) / total:F0} ns", "", ""),
            ("memory per sensor without the learned and multivariate detectors (10,000 sensors, 60 readings)", $"{plainBytes:N0} bytes", "", ""),
        ]);
    }

    private static string SensorProfileName(int i) => (i % 4) switch { 0 => "temperature", 1 => "vibration", 2 => "pressure", _ => "current" };

    /// <summary>Best of three runs, in seconds of the calling thread's CPU time (readings per second per core).</summary>
    private static double Measure(Action run)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var start = ThreadCpuClock.Seconds();
            run();
            best = Math.Min(best, ThreadCpuClock.Seconds() - start);
        }
        return best;
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
