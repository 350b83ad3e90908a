using System.Globalization;
using System.Text;

namespace IotTelemetry.Simulator;

/// <summary>
/// A deterministic plant: every sensor of every asset emits one reading per tick following the asset's load cycle
/// (one period and phase per asset, each sensor with its own swing and lag) with Gaussian noise, and the configured faults distort the signals they cover. Same options and start time,
/// same readings.
/// </summary>
public sealed class PlantSimulator
{
    private readonly SimulatorOptions _options;
    private readonly SimulatedSensor[] _sensors;
    private readonly long _startMicros;
    private readonly long _periodMicros;
    private long _tick;

    public PlantSimulator(SimulatorOptions options, long startMicros)
    {
        _options = options;
        _startMicros = startMicros;
        _periodMicros = (long)Math.Round(1_000_000 / options.SampleRateHz);
        var sensors = new List<SimulatedSensor>();
        var random = new Random(options.Seed);
        for (var a = 1; a <= options.Assets; a++)
        {
            var asset = $"pump-{a:00}";
            var load = new LoadCycle(SensorProfile.MinCycleSeconds * (1 + random.NextDouble() / 2), random.NextDouble() * Math.PI * 2);
            for (var s = 0; s < options.SensorsPerAsset; s++)
            {
                var profile = SensorProfile.Kinds[s % SensorProfile.Kinds.Length];
                var name = s < SensorProfile.Kinds.Length ? profile.Kind : $"{profile.Kind}-{s / SensorProfile.Kinds.Length + 1}";
                var topic = options.TopicTemplate.Replace("{site}", options.Site).Replace("{asset}", asset).Replace("{sensor}", name);
                var faults = options.Faults.Where(f => f.Asset == asset && AffectsSensor(f, profile.Kind, name)).ToArray();
                sensors.Add(new SimulatedSensor(asset, name, topic, profile, load, new Random(random.Next()), faults));
            }
        }
        _sensors = [.. sensors];
    }

    public int SensorCount => _sensors.Length;

    public long PeriodMicros => _periodMicros;

    /// <summary>Event time of the next tick.</summary>
    public long NextTimestampMicros => _startMicros + _tick * _periodMicros;

    /// <summary>The readings of the next tick, one per sensor.</summary>
    public SimulatedReading[] NextTick()
    {
        var timestamp = NextTimestampMicros;
        var t = (timestamp - _startMicros) / 1e6;
        var result = new SimulatedReading[_sensors.Length];
        for (var i = 0; i < _sensors.Length; i++)
        {
            var s = _sensors[i];
            var (value, fault) = s.ValueAt(t);
            value = Math.Round(value, _options.Decimals);
            result[i] = new SimulatedReading(s.Topic, _options.Site, s.Asset, s.Name, timestamp, value, s.Profile.Unit, fault);
        }
        _tick++;
        return result;
    }

    /// <summary>The JSON payload the plant publishes for <paramref name="r"/>: <c>{"ts":"...Z","value":1.5,"unit":"bar","quality":"good"}</c>.</summary>
    public static byte[] Payload(SimulatedReading r)
    {
        var ts = DateTimeOffset.UnixEpoch.AddTicks(r.TimestampMicros * 10).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var value = r.Value.ToString("R", CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes($"{{\"ts\":\"{ts}\",\"value\":{value},\"unit\":\"{r.Unit}\",\"quality\":\"good\"}}");
    }

    private static bool AffectsSensor(FaultOptions f, string kind, string name) => f.Kind switch
    {
        FaultKind.BearingFailure => kind is "vibration" or "temperature" && name == kind,
        _ => f.Sensor == name,
    };

    /// <summary>An asset's load: a sine of <paramref name="PeriodSeconds"/> starting at <paramref name="Phase"/>.</summary>
    private sealed record LoadCycle(double PeriodSeconds, double Phase)
    {
        public double At(double t) => Math.Sin(2 * Math.PI * t / PeriodSeconds + Phase);
    }

    private sealed class SimulatedSensor(string asset, string name, string topic, SensorProfile profile, LoadCycle load, Random noise, FaultOptions[] faults)
    {
        private double? _stuckValue;

        public string Asset { get; } = asset;
        public string Name { get; } = name;
        public string Topic { get; } = topic;
        public SensorProfile Profile { get; } = profile;

        public (double Value, FaultKind? Fault) ValueAt(double t)
        {
            var healthy = Profile.Level
                + Profile.CycleAmplitude * load.At(t - Profile.LagSeconds)
                + Profile.Noise * Gaussian();
            foreach (var f in faults)
            {
                if (t < f.StartSeconds || t >= f.StartSeconds + f.DurationSeconds)
                {
                    if (f.Kind == FaultKind.StuckSensor) _stuckValue = null;
                    continue;
                }
                var progress = (t - f.StartSeconds) / f.DurationSeconds;
                switch (f.Kind)
                {
                    case FaultKind.BearingFailure:
                        var growth = Math.Min(1, progress * 2) * Math.Min(1, progress * 2);
                        return (healthy + growth * (Profile.Kind == "vibration" ? 9.0 : 25.0), f.Kind);
                    case FaultKind.StuckSensor:
                        _stuckValue ??= healthy;
                        return (_stuckValue.Value, f.Kind);
                    case FaultKind.Spike:
                        return (healthy + Profile.Level * 0.6 + 20 * Profile.Noise, f.Kind);
                }
            }
            return (healthy, null);
        }

        private double Gaussian()
        {
            var u1 = 1.0 - noise.NextDouble();
            var u2 = noise.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }
}
