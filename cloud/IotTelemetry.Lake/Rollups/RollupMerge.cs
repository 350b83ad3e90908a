namespace IotTelemetry.Lake.Rollups;

/// <summary>Merges partial rows into one row per sensor and interval, and coarser intervals out of finer ones.</summary>
public static class RollupMerge
{
    /// <summary>
    /// One row per (asset, sensor, unit, interval of <paramref name="bucketMicros"/>), intervals aligned to the epoch;
    /// <paramref name="bucketMicros"/> must be a multiple of the rows' own interval. Sorted by asset, sensor, unit, time.
    /// </summary>
    public static List<RollupRow> Merge(IEnumerable<RollupRow> rows, long bucketMicros)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketMicros);
        var merged = new Dictionary<(long, string, string, string), RollupAggregate>();
        foreach (var row in rows)
        {
            var bucket = Math.DivRem(row.TimeMicros, bucketMicros, out var rem) * bucketMicros - (rem < 0 ? bucketMicros : 0);
            ref var partial = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(merged, (bucket, row.Asset, row.Sensor, row.Unit), out _);
            partial.Merge(row.Aggregate);
        }
        return [.. merged
            .Select(p => new RollupRow(p.Key.Item1, p.Key.Item2, p.Key.Item3, p.Key.Item4, p.Value))
            .OrderBy(r => r.Asset, StringComparer.Ordinal).ThenBy(r => r.Sensor, StringComparer.Ordinal)
            .ThenBy(r => r.Unit, StringComparer.Ordinal).ThenBy(r => r.TimeMicros)];
    }
}
