namespace IotTelemetry.Anomaly;

/// <summary>
/// The open alerts, one per condition, and when each condition last cleared (for the cool-down).
/// The engine keeps it current; after a restart or a rebalance, <see cref="Restore"/> rebuilds it from the
/// journal or the <c>alerts</c> topic so the engine neither raises an open alert again nor forgets to clear it.
/// </summary>
public sealed class AlertBook
{
    private readonly Dictionary<string, AlertEvent> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastCleared = new(StringComparer.Ordinal);

    /// <summary>The latest Raised or Updated event of every open alert.</summary>
    public IReadOnlyCollection<AlertEvent> Open => _open.Values;

    public int OpenCount => _open.Count;

    public bool TryGetOpen(string conditionKey, out AlertEvent alert) => _open.TryGetValue(conditionKey, out alert!);

    /// <summary>When the condition last cleared, or null if never (as far as this book knows).</summary>
    public long? LastClearedMicros(string conditionKey) => _lastCleared.TryGetValue(conditionKey, out var t) ? t : null;

    /// <summary>Replays past events in order (a journal, or the <c>alerts</c> topic from its start).</summary>
    public void Restore(IEnumerable<AlertEvent> history)
    {
        foreach (var e in history) Apply(e);
    }

    /// <summary>Takes one event into account. A Cleared or Updated for an alert that is not the open one is ignored.</summary>
    public void Apply(AlertEvent e)
    {
        var key = e.ConditionKey;
        switch (e.Kind)
        {
            case AlertEventKind.Raised:
                _open[key] = e;
                break;
            case AlertEventKind.Updated:
                if (_open.TryGetValue(key, out var open) && open.AlertId == e.AlertId) _open[key] = e;
                break;
            case AlertEventKind.Cleared:
                if (_open.TryGetValue(key, out var current) && current.AlertId == e.AlertId) _open.Remove(key);
                var at = e.ClearedMicros ?? e.EventMicros;
                if (!_lastCleared.TryGetValue(key, out var before) || at > before) _lastCleared[key] = at;
                break;
            case AlertEventKind.Acknowledged:
                break;
        }
    }

    /// <summary>The open alerts as a replayable history: restoring it into an empty book gives the same open set.</summary>
    public IReadOnlyList<AlertEvent> Snapshot() => [.. _open.Values.OrderBy(e => e.StartedMicros).ThenBy(e => e.AlertId, StringComparer.Ordinal)];
}
