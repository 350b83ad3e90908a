using IotTelemetry.Common.Readings;

namespace IotTelemetry.Anomaly.Tests;

/// <summary>Synthetic readings whose right answer is known.</summary>
internal static class Signals
{
    public const long Second = 1_000_000;
    public const long Start = 1_700_000_000L * Second;

    public static Reading At(long seconds, double value, string sensor = "temp", string asset = "pump-01", string site = "plant-a") =>
        new(site, asset, sensor, Start + seconds * Second, value, Quality.Good, "", "test", Start + seconds * Second);

    /// <summary>A sine of the given period (in readings) with deterministic Gaussian-ish noise.</summary>
    public static double[] NoisySine(int count, double period, double noise, int seed = 7)
    {
        var random = new Random(seed);
        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            var n = (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2 * noise;
            result[i] = 10 + Math.Sin(2 * Math.PI * i / period) + n;
        }
        return result;
    }

    public static List<AlertEvent> Run(AnomalyEngine engine, IEnumerable<Reading> readings)
    {
        var all = new List<AlertEvent>();
        foreach (var r in readings) all.AddRange(engine.Process(r));
        return all;
    }
}
