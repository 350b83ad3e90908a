using IotTelemetry.Anomaly;
using IotTelemetry.Cloud.Influx;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>One asset's chart data: each sensor's recent values (InfluxDB when configured, memory otherwise) and its alert periods.</summary>
public sealed record AssetSeries(string Site, string Asset, string Source, IReadOnlyList<SensorSeries> Sensors, IReadOnlyList<AlertPeriod> Alerts)
{
    public static async Task<AssetSeries> LoadAsync(CloudSettings settings, InfluxClient? influx, RecentValues memory, AlertBoard board, string site, string asset,
        CancellationToken ct)
    {
        var state = board.Snapshot();
        var periods = state.Open.Concat(state.History).Select(v => v.Alert)
            .Where(a => a.Site == site && a.Asset == asset)
            .Select(a => new AlertPeriod(a.Sensor, a.Rule, a.Severity, a.StartedMicros / 1000.0, a.Kind == AlertEventKind.Cleared ? (a.ClearedMicros ?? a.EventMicros) / 1000.0 : null))
            .ToList();
        if (influx is null || settings.Influx.ApiVersion != 1)
            return new AssetSeries(site, asset, "memory", memory.Series(site, asset), periods);
        try
        {
            return new AssetSeries(site, asset, "influxdb", await FromInfluxAsync(influx, settings.Influx, site, asset, settings.Dashboard.RecentValuesPerSensor, ct), periods);
        }
        catch (Exception ex) when (ex is InfluxWriteException or HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return new AssetSeries(site, asset, "memory (InfluxDB unavailable)", memory.Series(site, asset), periods);
        }
    }

    private static async Task<IReadOnlyList<SensorSeries>> FromInfluxAsync(InfluxClient client, InfluxOptions options, string site, string asset, int limit, CancellationToken ct)
    {
        var q = $"SELECT \"value\", \"unit\" FROM \"{options.Measurement}\" WHERE \"site\" = '{Quote(site)}' AND \"asset\" = '{Quote(asset)}' GROUP BY \"sensor\" ORDER BY time DESC LIMIT {limit}";
        using var doc = await client.QueryAsync(q, ct);
        var result = doc.RootElement.GetProperty("results")[0];
        if (!result.TryGetProperty("series", out var series)) return [];
        var list = new List<SensorSeries>();
        foreach (var s in series.EnumerateArray())
        {
            var tags = s.GetProperty("tags");
            var sensor = tags.GetProperty("sensor").GetString() ?? "";
            var rows = s.GetProperty("values").EnumerateArray().ToList();
            var unit = rows.Select(v => v[2].ValueKind == System.Text.Json.JsonValueKind.String ? v[2].GetString() : null).FirstOrDefault(u => !string.IsNullOrEmpty(u)) ?? "";
            var points = rows.Select(v => new[] { v[0].GetInt64() / 1000.0, v[1].GetDouble() }).Reverse().ToList();
            list.Add(new SensorSeries(sensor, unit, points));
        }
        return [.. list.OrderBy(s => s.Sensor, StringComparer.Ordinal)];
    }

    private static string Quote(string s) => s.Replace("\\", "\\\\").Replace("'", "\\'");
}

/// <summary>When an alert was open on a sensor (unix milliseconds; <see cref="End"/> null while open).</summary>
public sealed record AlertPeriod(string Sensor, string Rule, Severity Severity, double Start, double? End);
