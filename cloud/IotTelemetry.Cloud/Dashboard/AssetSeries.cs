using IotTelemetry.Anomaly;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>One asset's chart data: each sensor's recent values (kept in memory by <see cref="RecentValues"/>) and its alert periods.</summary>
public sealed record AssetSeries(string Site, string Asset, string Source, IReadOnlyList<SensorSeries> Sensors, IReadOnlyList<AlertPeriod> Alerts)
{
    public static AssetSeries Load(RecentValues memory, AlertBoard board, string site, string asset)
    {
        var state = board.Snapshot();
        var periods = state.Open.Concat(state.History).Select(v => v.Alert)
            .Where(a => a.Site == site && a.Asset == asset)
            .Select(a => new AlertPeriod(a.Sensor, a.Rule, a.Severity, a.StartedMicros / 1000.0, a.Kind == AlertEventKind.Cleared ? (a.ClearedMicros ?? a.EventMicros) / 1000.0 : null))
            .ToList();
        return new AssetSeries(site, asset, "memory", memory.Series(site, asset), periods);
    }
}

/// <summary>When an alert was open on a sensor (unix milliseconds; <see cref="End"/> null while open).</summary>
public sealed record AlertPeriod(string Sensor, string Rule, Severity Severity, double Start, double? End);
