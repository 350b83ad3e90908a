using System.Globalization;
using IotTelemetry.Anomaly;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Eval;

/// <summary>Builds one fresh per-sensor scorer by detector name, with <c>--param</c> overrides applied.</summary>
internal static class ScorerFactory
{
    public static string[] Names { get; } = ["learned", "zscore", "random"];

    public static Func<Func<Reading, double>> For(string name, IReadOnlyDictionary<string, string> parameters) => name switch
    {
        "learned" => Learned(parameters),
        "zscore" => ZScore(parameters),
        "random" => Random(parameters),
        _ => throw new ArgumentException($"--detector: expected one of {string.Join(", ", Names)}, got '{name}'"),
    };

    private static Func<Func<Reading, double>> Learned(IReadOnlyDictionary<string, string> parameters)
    {
        var options = Apply(new LearnedOptions(), parameters);
        return () =>
        {
            var d = new LearnedDetector(options);
            return r => d.Score(r.TimestampMicros, r.Value);
        };
    }

    private static Func<Func<Reading, double>> ZScore(IReadOnlyDictionary<string, string> parameters)
    {
        var options = Apply(new ZScoreOptions(), parameters);
        return () =>
        {
            var d = new RobustZScoreDetector(options);
            return r =>
            {
                var v = d.Observe(r.TimestampMicros, r.Value);
                return v.State == DetectorState.Warming ? 0 : Math.Abs(v.Score) / (Math.Abs(v.Score) + options.Sigma);
            };
        };
    }

    /// <summary>Uniform scores from a fixed seed per sensor: the sanity baseline of the scoring rules.</summary>
    private static Func<Func<Reading, double>> Random(IReadOnlyDictionary<string, string> parameters)
    {
        var seed = parameters.TryGetValue("Seed", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 42;
        return () =>
        {
            System.Random? random = null;
            return r => (random ??= new System.Random(seed * 31 + StableHash(r.Sensor))).NextDouble();
        };
    }

    private static int StableHash(string text)
    {
        var h = 17;
        foreach (var c in text) h = unchecked(h * 31 + c);
        return h & 0x7fffffff;
    }

    public static T Apply<T>(T options, IReadOnlyDictionary<string, string> parameters) where T : class
    {
        foreach (var (key, text) in parameters)
        {
            var property = typeof(T).GetProperty(key)
                ?? throw new ArgumentException($"--param {key}: {typeof(T).Name} has no such property");
            var value = Convert.ChangeType(text, property.PropertyType, CultureInfo.InvariantCulture);
            property.SetValue(options, value);
        }
        return options;
    }
}
