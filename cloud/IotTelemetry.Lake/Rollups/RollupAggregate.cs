namespace IotTelemetry.Lake.Rollups;

/// <summary>
/// A mergeable partial aggregate of one sensor over one interval: what a rollup file stores per row, so that a
/// late reading is one more partial for its interval in a later file and readers merge partials instead of
/// rewriting them. <see cref="M2"/> is the sum of squared deviations from the partial's own mean (Welford), merged
/// with Chan's formula; unlike a sum of squares it does not cancel catastrophically for values far from zero with
/// a small spread (a pressure of 1013.25 ± 0.01). "Last" is the reading with the greatest
/// (event time, Kafka partition, Kafka offset), so it is the same whatever order partials are merged in.
/// </summary>
public struct RollupAggregate
{
    public long Count;
    public double Sum;
    public double M2;
    public double Min;
    public double Max;
    public long LastTimeMicros;
    public double LastValue;
    public int LastPartition;
    public long LastOffset;
    public long GoodCount;

    public readonly double Mean => Sum / Count;

    /// <summary>Sample standard deviation (n − 1, as DuckDB's <c>stddev</c>); null for a single reading.</summary>
    public readonly double? StdDev => Count > 1 ? Math.Sqrt(Math.Max(0, M2) / (Count - 1)) : null;

    /// <summary>The share of readings of good quality, 0 to 1.</summary>
    public readonly double GoodShare => (double)GoodCount / Count;

    /// <summary>An aggregate of one reading.</summary>
    public static RollupAggregate Of(double value, bool good, long timeMicros, int partition, long offset) => new()
    {
        Count = 1, Sum = value, M2 = 0, Min = value, Max = value,
        LastTimeMicros = timeMicros, LastValue = value, LastPartition = partition, LastOffset = offset, GoodCount = good ? 1 : 0,
    };

    /// <summary>Adds one reading (Welford's update of the deviations, with the mean of the readings so far).</summary>
    public void Add(double value, bool good, long timeMicros, int partition, long offset)
    {
        if (Count == 0) { this = Of(value, good, timeMicros, partition, offset); return; }
        var meanBefore = Sum / Count;
        Count++;
        Sum += value;
        M2 += (value - meanBefore) * (value - Sum / Count);
        if (value < Min) Min = value;
        if (value > Max) Max = value;
        if (good) GoodCount++;
        TakeLastIfLater(timeMicros, value, partition, offset);
    }

    /// <summary>Folds another partial of the same sensor and interval in (Chan et al.'s parallel variance).</summary>
    public void Merge(in RollupAggregate other)
    {
        if (other.Count == 0) return;
        if (Count == 0) { this = other; return; }
        var n = Count + other.Count;
        var delta = other.Sum / other.Count - Sum / Count;
        M2 = M2 + other.M2 + delta * delta * ((double)Count * other.Count / n);
        Count = n;
        Sum += other.Sum;
        if (other.Min < Min) Min = other.Min;
        if (other.Max > Max) Max = other.Max;
        GoodCount += other.GoodCount;
        TakeLastIfLater(other.LastTimeMicros, other.LastValue, other.LastPartition, other.LastOffset);
    }

    private void TakeLastIfLater(long timeMicros, double value, int partition, long offset)
    {
        if ((timeMicros, partition, offset).CompareTo((LastTimeMicros, LastPartition, LastOffset)) <= 0) return;
        LastTimeMicros = timeMicros;
        LastValue = value;
        LastPartition = partition;
        LastOffset = offset;
    }
}
