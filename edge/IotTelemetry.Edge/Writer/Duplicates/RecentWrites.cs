namespace IotTelemetry.Edge.Writer.Duplicates;

/// <summary>
/// A bounded, first-in-first-out memory of recent writes: identity -> the batch that wrote it. Once full, the oldest
/// identity is forgotten for each new one. Not thread-safe: <see cref="EdgeWriter"/> holds its lock.
/// </summary>
internal sealed class RecentWrites<TIdentity>(int capacity) where TIdentity : struct, IEquatable<TIdentity>
{
    // Sized for the whole window at once (it fills within seconds at plant rates): grown by doubling, the two arrays
    // ended at 16 MB for a 200,000 window instead of 10 MB, and each resize briefly held both sizes.
    private readonly Dictionary<TIdentity, WriteBatch> _byIdentity = new(capacity + 1);
    private readonly Queue<TIdentity> _order = new(capacity + 1);

    public int Count => _byIdentity.Count;

    public int Capacity => capacity;

    public bool TryGet(TIdentity identity, out WriteBatch batch) => _byIdentity.TryGetValue(identity, out batch!);

    /// <summary>
    /// Forgets <paramref name="identity"/> if <paramref name="batch"/> wrote it (a record that was never handed to the
    /// producer). Its place in the order stays: should the identity be written again, it is forgotten that much earlier.
    /// </summary>
    public void Forget(TIdentity identity, WriteBatch batch)
    {
        if (_byIdentity.TryGetValue(identity, out var writer) && writer == batch) _byIdentity.Remove(identity);
    }

    /// <summary>Remembers <paramref name="identity"/> as written by <paramref name="batch"/>; false when it was known already.</summary>
    public bool Add(TIdentity identity, WriteBatch batch)
    {
        if (!_byIdentity.TryAdd(identity, batch)) return false;
        _order.Enqueue(identity);
        while (_order.Count > capacity) _byIdentity.Remove(_order.Dequeue());
        return true;
    }
}
