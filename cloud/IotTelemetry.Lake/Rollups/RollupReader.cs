namespace IotTelemetry.Lake.Rollups;

/// <summary>
/// Reads rollups over a time range, partials merged: the dashboard's long-range charts (one asset, merged to a chosen
/// interval) and the Flight endpoint (any selection, one row per sensor and interval of the tier). Only the partition
/// directories the range overlaps are listed; partials of the same sensor and interval (late readings, several Kafka
/// partitions, not yet compacted files) are merged on the way.
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
            rows.AddRange(PartialRows(tier, partition, r => r.TimeMicros >= fromMicros && r.TimeMicros < toMicros && string.Equals(r.Asset, asset, StringComparison.Ordinal)));
        return RollupMerge.Merge(rows, bucketMicros);
    }

    /// <summary>
    /// Per partition overlapping [<paramref name="fromMicros"/>, <paramref name="toMicros"/>) whose name <paramref name="partitionFilter"/>
    /// accepts, the rows <paramref name="keep"/> accepts merged to one per sensor and interval of the tier. A sensor-interval's
    /// partials all lie in the partition of its interval, so merging partition by partition is whole and bounds memory to one partition.
    /// </summary>
    public IEnumerable<(string Partition, List<RollupRow> Rows)> ReadMerged(RollupTier tier, long fromMicros, long toMicros,
        Func<string, bool> partitionFilter, Func<RollupRow, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentNullException.ThrowIfNull(partitionFilter);
        foreach (var partition in files.Partitions(tier).Where(p => partitionFilter(p) && tier.Overlaps(p, fromMicros, toMicros)))
        {
            var merged = RollupMerge.Merge(PartialRows(tier, partition, keep), tier.BucketMicros);
            if (merged.Count > 0) yield return (partition, merged);
        }
    }

    private IEnumerable<RollupRow> PartialRows(RollupTier tier, string partition, Func<RollupRow, bool> keep)
    {
        var rows = new List<RollupRow>();
        foreach (var file in files.Files(tier, partition))
        {
            try
            {
                rows.AddRange(files.Read(file).Rows.Where(keep));
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException) { } // compacted or dropped since listed: a reader misses those rows until its next read
        }
        return rows;
    }
}
