namespace IotTelemetry.Edge.Writer.Duplicates;

/// <summary>
/// The records written for one input message: counts their Kafka acknowledgements down and then acknowledges the
/// input. A redelivery of a message whose records are still in flight waits on this batch (<see cref="WhenDurable"/>)
/// rather than being acknowledged at once: acknowledging it earlier would lose the readings if the first write then failed.
/// </summary>
internal sealed class WriteBatch
{
    /// <summary>Records read back from the edge topic: durable already.</summary>
    public static readonly WriteBatch Durable = new(null);

    private int _remaining = int.MaxValue; // not started: nothing counts down before Start
    private Action? _acknowledged;
    private List<Action>? _waiters;

    static WriteBatch() => Durable.Start(0);

    public WriteBatch(Action? acknowledged) => _acknowledged = acknowledged;

    public bool IsDurable => Volatile.Read(ref _remaining) <= 0;

    /// <summary>Sets how many acknowledgements (records, or earlier batches waited on) complete this batch; 0 completes it now.</summary>
    public void Start(int count)
    {
        Volatile.Write(ref _remaining, count + 1);
        One();
    }

    /// <summary>One record acknowledged by the edge cluster; the last one acknowledges the input and releases the waiters.</summary>
    public void One()
    {
        if (Interlocked.Decrement(ref _remaining) != 0) return;
        List<Action>? waiters;
        lock (this) { waiters = _waiters; _waiters = null; }
        var acknowledged = Interlocked.Exchange(ref _acknowledged, null);
        acknowledged?.Invoke();
        if (waiters is not null) foreach (var w in waiters) w();
    }

    /// <summary>
    /// The input's write was cut short (its connection went away while the edge cluster's queue was full): the input is
    /// not acknowledged (the source redelivers it), and the <paramref name="unwritten"/> records never handed to the
    /// producer count down now, so a redelivery waiting on this batch is released once the records that were handed
    /// over are durable.
    /// </summary>
    public void Abandon(int unwritten)
    {
        Interlocked.Exchange(ref _acknowledged, null);
        for (var i = 0; i < unwritten; i++) One();
    }

    /// <summary>Runs <paramref name="then"/> once every record of this batch is durable (at once if it is).</summary>
    public void WhenDurable(Action then)
    {
        lock (this)
        {
            if (!IsDurable)
            {
                (_waiters ??= []).Add(then);
                return;
            }
        }
        then();
    }
}
