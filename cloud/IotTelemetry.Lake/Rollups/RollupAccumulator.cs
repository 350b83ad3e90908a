namespace IotTelemetry.Lake.Rollups;

/// <summary>
/// The partial aggregates of one batch of readings for one tier, grouped by the partition directory they go to.
/// Readings are added in Kafka offset order, so the same offsets always give the same partials, to the bit.
/// </summary>
public sealed class RollupAccumulator(RollupTier tier)
{
    private readonly Dictionary<(string Site, long Bucket, string Asset, string Sensor, string Unit), RollupAggregate> _partials = [];

    public RollupTier Tier { get; } = tier;

    /// <summary>Sensor-intervals held (rows the batch's files will have).</summary>
    public int Count => _partials.Count;

    public void Add(string site, string asset, string sensor, string unit, long timeMicros, double value, bool good, int partition, long offset)
    {
        var key = (site, Tier.BucketStart(timeMicros), asset, sensor, unit);
        ref var partial = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_partials, key, out _);
        partial.Add(value, good, timeMicros, partition, offset);
    }

    /// <summary>The rows per partition directory (<c>site=S/date=D</c>), each sorted by asset, sensor, unit and time.</summary>
    public IReadOnlyList<(string Site, string Partition, List<RollupRow> Rows)> ByPartition() =>
        [.. _partials
            .GroupBy(p => (p.Key.Site, Partition: Tier.PartitionOf(p.Key.Site, p.Key.Bucket)))
            .OrderBy(g => g.Key.Partition, StringComparer.Ordinal)
            .Select(g => (g.Key.Site, g.Key.Partition, g
                .OrderBy(p => p.Key.Asset, StringComparer.Ordinal).ThenBy(p => p.Key.Sensor, StringComparer.Ordinal)
                .ThenBy(p => p.Key.Unit, StringComparer.Ordinal).ThenBy(p => p.Key.Bucket)
                .Select(p => new RollupRow(p.Key.Bucket, p.Key.Asset, p.Key.Sensor, p.Key.Unit, p.Value)).ToList()))];

    public void Clear() => _partials.Clear();
}
