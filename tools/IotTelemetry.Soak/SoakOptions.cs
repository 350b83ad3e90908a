using System.Globalization;

namespace IotTelemetry.Soak;

/// <summary>What `make soak` is told through the environment.</summary>
internal sealed class SoakOptions
{
    /// <summary>DURATION: seconds of load and faults (the drain and the reconciliation come after).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>RATE: readings per second offered over MQTT (QoS 1).</summary>
    public int Rate { get; init; } = 10_000;

    /// <summary>SEED: draws the fault schedule.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>ASSETS x SENSORS: the simulated sensors; one MQTT message carries one asset's readings of one tick.</summary>
    public int Assets { get; init; } = 200;
    public int SensorsPerAsset { get; init; } = 5;

    /// <summary>KILLS: SIGKILLs of the edge agent, and as many of the cloud host.</summary>
    public int Kills { get; init; } = 10;

    /// <summary>OUTAGE: seconds the cloud cluster is unreachable (once per run; 0: never).</summary>
    public TimeSpan CloudOutage { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>DISK_FULL: seconds the lake's file system is kept full (once per run; 0: never).</summary>
    public TimeSpan DiskFull { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>BROKER_RESTARTS and PLC_RESTARTS: mosquitto restarts, OPC UA server restarts.</summary>
    public int BrokerRestarts { get; init; } = 3;
    public int PlcRestarts { get; init; } = 2;

    /// <summary>DRAIN: how long the pipeline may take to bring every acknowledged reading to the lake after the load stops.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(240);

    public required string DataDir { get; init; }

    public static SoakOptions FromEnvironment() => new()
    {
        Duration = TimeSpan.FromSeconds(Number("DURATION", 600, 10, 86_400)),
        Rate = (int)Number("RATE", 10_000, 10, 1_000_000),
        Seed = (int)Number("SEED", 1, int.MinValue, int.MaxValue),
        Assets = (int)Number("ASSETS", 200, 1, 100_000),
        SensorsPerAsset = (int)Number("SENSORS", 5, 1, 100),
        Kills = (int)Number("KILLS", 10, 0, 1000),
        CloudOutage = TimeSpan.FromSeconds(Number("OUTAGE", 60, 0, 86_400)),
        DiskFull = TimeSpan.FromSeconds(Number("DISK_FULL", 30, 0, 86_400)),
        BrokerRestarts = (int)Number("BROKER_RESTARTS", 3, 0, 1000),
        PlcRestarts = (int)Number("PLC_RESTARTS", 2, 0, 1000),
        Drain = TimeSpan.FromSeconds(Number("DRAIN", 240, 10, 86_400)),
        DataDir = Environment.GetEnvironmentVariable("DATA_DIR") is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.Combine(Path.GetTempPath(), "iottelemetry-soak-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)),
    };

    private static double Number(string name, double fallback, double min, double max)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw new ArgumentException($"{name}: expected a number from {min} to {max}, got '{text}'");
        return v;
    }
}
