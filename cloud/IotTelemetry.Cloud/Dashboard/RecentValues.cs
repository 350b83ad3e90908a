using System.Collections.Concurrent;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>The last few hundred values of every sensor, in memory: the charts' source and the asset list.</summary>
public sealed class RecentValues(int perSensor)
{
    private readonly ConcurrentDictionary<(string Site, string Asset), ConcurrentDictionary<string, SensorRing>> _assets = new();

    public void Add(Reading r)
    {
        var sensors = _assets.GetOrAdd((r.Site, r.Asset), _ => new ConcurrentDictionary<string, SensorRing>(StringComparer.Ordinal));
        sensors.GetOrAdd(r.Sensor, _ => new SensorRing(perSensor, r.Unit)).Add(r.TimestampMicros, r.Value);
    }

    public IReadOnlyList<AssetSummary> Assets() =>
        [.. _assets.OrderBy(a => a.Key.Site, StringComparer.Ordinal).ThenBy(a => a.Key.Asset, StringComparer.Ordinal)
            .Select(a => new AssetSummary(a.Key.Site, a.Key.Asset, [.. a.Value.Keys.Order(StringComparer.Ordinal)]))];

    /// <summary>Each sensor's recent points of one asset, oldest first.</summary>
    public IReadOnlyList<SensorSeries> Series(string site, string asset) =>
        _assets.TryGetValue((site, asset), out var sensors)
            ? [.. sensors.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new SensorSeries(s.Key, s.Value.Unit, s.Value.Points()))]
            : [];

    private sealed class SensorRing(int capacity, string unit)
    {
        private readonly long[] _times = new long[capacity];
        private readonly double[] _values = new double[capacity];
        private int _next;
        private int _count;

        public string Unit { get; } = unit;

        public void Add(long micros, double value)
        {
            lock (this)
            {
                _times[_next] = micros;
                _values[_next] = value;
                _next = (_next + 1) % capacity;
                _count = Math.Min(_count + 1, capacity);
            }
        }

        public IReadOnlyList<double[]> Points()
        {
            lock (this)
            {
                var points = new List<double[]>(_count);
                for (var i = 0; i < _count; i++)
                {
                    var at = (_next - _count + i + capacity) % capacity;
                    points.Add([_times[at] / 1000.0, _values[at]]);
                }
                points.Sort((a, b) => a[0].CompareTo(b[0]));
                return points;
            }
        }
    }
}

/// <summary>One asset and its sensors.</summary>
public sealed record AssetSummary(string Site, string Asset, IReadOnlyList<string> Sensors);

/// <summary>One sensor's points as [unix milliseconds, value] pairs, oldest first.</summary>
public sealed record SensorSeries(string Sensor, string Unit, IReadOnlyList<double[]> Points);
