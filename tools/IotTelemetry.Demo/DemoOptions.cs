using System.Globalization;
using IotTelemetry.Simulator;

namespace IotTelemetry.Demo;

/// <summary>What `make run` is told through the environment.</summary>
internal sealed class DemoOptions
{
    /// <summary>DURATION: seconds to run; none runs until Ctrl-C.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>DATA_DIR: where the lake, the journal and the logs go; a new temporary directory when not set.</summary>
    public required string DataDir { get; init; }

    public required SimulatorOptions Simulator { get; init; }

    /// <summary>BAD_EVERY: seconds between deliberately malformed messages (0: none), to show the dead-letter path.</summary>
    public double BadMessageEverySeconds { get; init; } = 10;

    /// <summary>LAKE: <c>disk</c> (the default: a directory in DATA_DIR) or <c>azurite</c> (Azure Blob Storage, emulated on loopback).</summary>
    public string Lake { get; init; } = "disk";

    public static DemoOptions FromEnvironment()
    {
        var problems = new List<string>();
        double? Number(string name, double min, double max)
        {
            var text = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
            problems.Add($"{name}: expected a number from {min} to {max}, got '{text}'");
            return null;
        }
        var duration = Number("DURATION", 1, 86_400 * 365);
        var assets = Number("ASSETS", 1, 10_000);
        var sensors = Number("SENSORS", 1, 100);
        var rate = Number("RATE_HZ", 0.01, 1000);
        var bad = Number("BAD_EVERY", 0, 86_400);
        var lake = Environment.GetEnvironmentVariable("LAKE") is { Length: > 0 } l ? l.ToLowerInvariant() : "disk";
        if (lake is not ("disk" or "azurite")) problems.Add($"LAKE: expected disk or azurite, got '{lake}'");
        if (problems.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, problems));
        var dataDir = Environment.GetEnvironmentVariable("DATA_DIR");
        dataDir = string.IsNullOrWhiteSpace(dataDir)
            ? Path.Combine(Path.GetTempPath(), "iottelemetry-run-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture))
            : Path.GetFullPath(dataDir);
        return new DemoOptions
        {
            Duration = duration is { } d ? TimeSpan.FromSeconds(d) : null,
            DataDir = dataDir,
            BadMessageEverySeconds = bad ?? 10,
            Lake = lake,
            Simulator = new SimulatorOptions
            {
                Site = Environment.GetEnvironmentVariable("SITE") is { Length: > 0 } site ? site : "plant-a",
                Assets = (int)(assets ?? 10),
                SensorsPerAsset = (int)(sensors ?? 4),
                SampleRateHz = rate ?? 5,
                Faults = SimulatorOptions.DefaultFaults(),
            },
        };
    }
}
