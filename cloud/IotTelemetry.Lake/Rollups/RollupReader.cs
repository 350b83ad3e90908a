namespace IotTelemetry.Lake.Rollups;

/// <summary>
/// Reads one asset's rollups over a time range, merged to a chosen interval: the dashboard's long-range charts.
/// Only the partition directories the range overlaps are listed; partials of the same sensor and interval (late
/// readings, several Kafka partitions, not yet compacted files) are merged on the way.
/// </summary>
public sealed class RollupReader(RollupFiles files)
{
    /// <summary>
    /// The rows of <paramref name="site"/>/<paramref name="asset"/> whose interval starts in [<paramref name="fromMicros"/>,
    /// <paramref name="toMicros"/>), merged to intervals of <paramref name="bucketMicros"/> (a multiple of the tier's).
    /// </summary>
    public List<RollupRow> Read(RollupTier tier, string site, string asset, long fromMicros, long toMicros, long bucketMicros)
    {
        ArgumentNullException.ThrowIfNull(tier);
        if (bucketMicros % tier.BucketMicros != 0)
            throw new ArgumentException($"Expected an interval that is a multiple of {tier.BucketMicros} µs for {tier.Dataset}, got {bucketMicros}", nameof(bucketMicros));
        var rows = new List<RollupRow>();
        foreach (var partition in files.Partitions(tier, site).Where(p => tier.Overlaps(p, fromMicros, toMicros)))
            foreach (var file in files.Files(tier, partition))
            {
                try
                {
                    foreach (var row in files.Read(file).Rows)
                        if (row.TimeMicros >= fromMicros && row.TimeMicros < toMicros && string.Equals(row.Asset, asset, StringComparison.Ordinal)) rows.Add(row);
                }
                catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException) { } // compacted or dropped since listed: a chart misses those rows until its next refresh
            }
        return RollupMerge.Merge(rows, bucketMicros);
    }
}
