using IotTelemetry.Common.Readings;
using IotTelemetry.Lake.Rollups;

namespace IotTelemetry.Cloud.Rollups;

/// <summary>The partial aggregates of one Kafka partition's readings since its last files, for every tier.</summary>
public sealed class RollupBatch(string topic, int partition)
{
    public string Topic { get; } = topic;
    public int Partition { get; } = partition;
    public long FirstOffset { get; private set; } = -1;
    public long LastOffset { get; private set; } = -1;
    public long FirstEventMicros { get; private set; }
    public int Readings { get; private set; }
    public DateTime LastAppendUtc { get; private set; } = DateTime.UtcNow;
    public IReadOnlyList<RollupAccumulator> Tiers { get; } = [.. RollupTier.All.Select(t => new RollupAccumulator(t))];

    public bool IsEmpty => FirstOffset < 0;

    /// <summary>True when <paramref name="r"/> is further past the batch's first reading than a batch may span (event time).</summary>
    public bool WouldSpanBeyond(Reading r, TimeSpan span) => Readings > 0 && r.TimestampMicros - FirstEventMicros >= (long)span.TotalMicroseconds;

    /// <summary>Folds a reading in; one whose value is not finite is covered but not aggregated (it would poison every statistic).</summary>
    public void Add(Reading r, long offset)
    {
        Cover(offset);
        if (!double.IsFinite(r.Value)) return;
        if (Readings == 0) FirstEventMicros = r.TimestampMicros;
        foreach (var tier in Tiers)
            tier.Add(r.Site, r.Asset, r.Sensor, r.Unit, r.TimestampMicros, r.Value, r.Quality == Quality.Good, Partition, offset);
        Readings++;
    }

    /// <summary>Counts an offset as handled by this batch without aggregating it (a record that is not a reading).</summary>
    public void Cover(long offset)
    {
        if (FirstOffset < 0) FirstOffset = offset;
        LastOffset = offset;
        LastAppendUtc = DateTime.UtcNow;
    }

    public void Reset()
    {
        FirstOffset = LastOffset = -1;
        Readings = 0;
        foreach (var tier in Tiers) tier.Clear();
        LastAppendUtc = DateTime.UtcNow;
    }
}
