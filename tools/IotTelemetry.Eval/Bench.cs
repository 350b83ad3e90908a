using System.Diagnostics;
using IotTelemetry.Anomaly;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Eval;

/// <summary>
/// <c>IotTelemetry.Eval bench [sensors] [readingsPerSensor] [set]</c>: the full detector set (limits, z-score, rate,
/// stuck, gap, learned) on every sensor, readings interleaved across sensors as a consumer sees them.
/// Prints readings/s on this thread, bytes allocated per reading in the steady state and memory per sensor.
/// </summary>
internal static class Bench
{
    public static int Run(int sensors, int perSensor, string set, TextWriter console)
    {
        var options = new AnomalyOptions
        {
            Rules =
            [
                new SensorRuleOptions
                {
                    Match = "*/*/*",
                    Limits = set is "learned" ? null : new LimitsOptions { Low = -1000, High = 1000 },
                    ZScore = new ZScoreOptions(),
                    RateOfChange = new RateOfChangeOptions { MaxPerSecond = 1000 },
                    Stuck = new StuckOptions(),
                    Gap = new GapOptions(),
                    Learned = set is "full" or "learned" ? new LearnedOptions() : null,
                },
            ],
        };

        var readings = new Reading[sensors * perSensor];
        var random = new Random(1);
        const long start = 1_700_000_000_000_000;
        for (var t = 0; t < perSensor; t++)
            for (var s = 0; s < sensors; s++)
            {
                var ts = start + t * 1_000_000L;
                var v = 50 + 10 * Math.Sin(t / 60.0 + s) + random.NextDouble();
                readings[t * sensors + s] = new Reading("plant-a", "asset-" + (s / 10), "sensor-" + (s % 10), ts, v, Quality.Good, "", "", ts);
            }

        var before = GC.GetTotalMemory(true);
        var engine = new AnomalyEngine(options);
        for (var s = 0; s < sensors; s++) engine.Process(readings[s]);
        var perSensorBytes = (GC.GetTotalMemory(true) - before) / (double)sensors;
        GC.KeepAlive(engine);

        var half = readings.Length / 2;
        for (var i = sensors; i < half; i++) engine.Process(readings[i]);
        var events = 0L;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = half; i < readings.Length; i++) events += engine.Process(readings[i]).Count;
        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var measured = readings.Length - half;

        console.WriteLine($"bench: {sensors} sensors x {perSensor} readings, detector set '{set}'");
        console.WriteLine($"throughput   {measured / watch.Elapsed.TotalSeconds:N0} readings/s (one thread, {measured:N0} readings, {events} alert events)");
        console.WriteLine($"allocation   {allocated / (double)measured:F2} bytes/reading in the steady state");
        console.WriteLine($"memory       {perSensorBytes:N0} bytes per sensor (engine state incl. dictionary entry)");
        return 0;
    }
}
