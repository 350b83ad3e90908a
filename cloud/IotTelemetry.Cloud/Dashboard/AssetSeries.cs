using IotTelemetry.Anomaly;
using IotTelemetry.Lake.Rollups;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>
/// One asset's chart data: each sensor's values and its alert periods. <see cref="Source"/> says where the values
/// came from: <c>memory</c> (the recent values <see cref="RecentValues"/> keeps, points [ms, value]) or a rollup
/// dataset (<c>rollup-1m</c>, <c>rollup-1h</c>; points [ms, mean, min, max, count] per interval of <see cref="IntervalSeconds"/>).
/// </summary>
public sealed record AssetSeries(string Site, string Asset, string Source, IReadOnlyList<SensorSeries> Sensors, IReadOnlyList<AlertPeriod> Alerts)
{
    /// <summary>The interval each point summarises; 0 for raw recent values.</summary>
    public long IntervalSeconds { get; init; }

    /// <summary>The range read, unix milliseconds (null for recent values: whatever memory holds).</summary>
    public double? From { get; init; }
    public double? To { get; init; }

    public static AssetSeries Load(RecentValues memory, AlertBoard board, string site, string asset) =>
        new(site, asset, "memory", memory.Series(site, asset), Periods(board, site, asset));

    /// <summary>The asset's rollups over <paramref name="range"/> (whose tier is set), merged to its interval.</summary>
    public static AssetSeries Load(RollupReader rollups, AlertBoard board, string site, string asset, ChartRange range)
    {
        ArgumentNullException.ThrowIfNull(rollups);
        ArgumentNullException.ThrowIfNull(range);
        var tier = range.Tier ?? throw new ArgumentException("Expected a range read from a rollup tier, got one for recent values", nameof(range));
        var sensors = rollups.Read(tier, site, asset, range.FromMicros, range.ToMicros, range.IntervalMicros)
            .GroupBy(r => (r.Sensor, r.Unit))
            .Select(g => new SensorSeries(g.Key.Sensor, g.Key.Unit,
                [.. g.Select(r => new[] { r.TimeMicros / 1000.0, r.Aggregate.Mean, r.Aggregate.Min, r.Aggregate.Max, r.Aggregate.Count })]))
            .ToList();
        return new AssetSeries(site, asset, tier.Dataset, sensors, Periods(board, site, asset))
        {
            IntervalSeconds = range.IntervalMicros / 1_000_000, From = range.FromMicros / 1000.0, To = range.ToMicros / 1000.0,
        };
    }

    private static List<AlertPeriod> Periods(AlertBoard board, string site, string asset)
    {
        var state = board.Snapshot();
        return [.. state.Open.Concat(state.History).Select(v => v.Alert)
            .Where(a => a.Site == site && a.Asset == asset)
            .Select(a => new AlertPeriod(a.Sensor, a.Rule, a.Severity, a.StartedMicros / 1000.0, a.Kind == AlertEventKind.Cleared ? (a.ClearedMicros ?? a.EventMicros) / 1000.0 : null))];
    }
}

/// <summary>When an alert was open on a sensor (unix milliseconds; <see cref="End"/> null while open).</summary>
public sealed record AlertPeriod(string Sensor, string Rule, Severity Severity, double Start, double? End);
