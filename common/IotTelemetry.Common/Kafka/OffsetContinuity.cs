namespace IotTelemetry.Common.Kafka;

/// <summary>
/// Notices offsets a reader never received: records the cluster deleted (its retention was shorter
/// than the time the reader was away or behind) between the offset a reader resumed at and the next record it
/// got. The reader then continues at the oldest record left, so the loss is counted and logged, never hidden.
/// Used on the consuming thread only (Confluent.Kafka runs rebalance handlers inside Consume).
/// </summary>
public sealed class OffsetContinuity
{
    private readonly Dictionary<int, long> _expected = [];

    /// <summary>The next record of <paramref name="partition"/> should be at <paramref name="offset"/> (a real offset, not a logical one).</summary>
    public void Expect(int partition, long offset)
    {
        if (offset >= 0) _expected[partition] = offset;
        else _expected.Remove(partition);
    }

    public void Forget(int partition) => _expected.Remove(partition);

    /// <summary>
    /// Records that <paramref name="offset"/> of <paramref name="partition"/> arrived and returns the first
    /// offset that should have arrived before it and did not, or null when nothing is missing or unknown.
    /// </summary>
    public long? Received(int partition, long offset)
    {
        long? missingFrom = _expected.TryGetValue(partition, out var expected) && offset > expected ? expected : null;
        _expected[partition] = offset + 1;
        return missingFrom;
    }
}
