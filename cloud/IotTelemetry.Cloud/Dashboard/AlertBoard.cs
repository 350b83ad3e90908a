using IotTelemetry.Anomaly;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>
/// The alerts the dashboard shows, kept from the journal and the <c>alerts</c> topic. Applying an event twice
/// changes nothing (the journal and the topic overlap), and an alert once cleared stays cleared. Page
/// connections wait on <see cref="WaitForChangeAsync"/> and are pushed the new state.
/// </summary>
public sealed class AlertBoard(int historyLimit)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, AlertEvent> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Acknowledgement> _acks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _clearedIds = new(StringComparer.Ordinal);
    private readonly LinkedList<AlertEvent> _history = new();
    private long _version;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Version { get { lock (_gate) return _version; } }

    public void Apply(AlertEvent e)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (!ApplyLocked(e)) return;
            _version++;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>The open alert with this id, if it is open.</summary>
    public AlertEvent? FindOpen(string alertId)
    {
        lock (_gate) return _open.GetValueOrDefault(alertId);
    }

    public AlertBoardState Snapshot()
    {
        lock (_gate)
        {
            return new AlertBoardState(
                _version,
                [.. _open.Values.OrderBy(e => e.StartedMicros).ThenBy(e => e.AlertId, StringComparer.Ordinal).Select(View)],
                [.. _history.Select(View)]);
        }
    }

    /// <summary>Completes when the version moves past <paramref name="seen"/>, or after <paramref name="timeout"/>.</summary>
    public async Task WaitForChangeAsync(long seen, TimeSpan timeout, CancellationToken ct)
    {
        Task changed;
        lock (_gate)
        {
            if (_version != seen) return;
            changed = _changed.Task;
        }
        await changed.WaitAsync(timeout, ct).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        ct.ThrowIfCancellationRequested();
    }

    private AlertView View(AlertEvent e) => new(e, _acks.GetValueOrDefault(e.AlertId));

    private bool ApplyLocked(AlertEvent e)
    {
        switch (e.Kind)
        {
            case AlertEventKind.Raised or AlertEventKind.Updated:
                if (_clearedIds.Contains(e.AlertId)) return false;
                if (_open.TryGetValue(e.AlertId, out var known) && (known.EventMicros > e.EventMicros || known == e)) return false;
                _open[e.AlertId] = e;
                return true;
            case AlertEventKind.Cleared:
                if (!_clearedIds.Add(e.AlertId)) return false;
                _open.Remove(e.AlertId);
                _history.AddFirst(e);
                while (_history.Count > historyLimit) _history.RemoveLast(); // its id stays known as cleared
                return true;
            case AlertEventKind.Acknowledged:
                var ack = Acknowledgement.FromMessage(e.Message, e.EventMicros);
                if (_acks.TryGetValue(e.AlertId, out var before) && before == ack) return false;
                _acks[e.AlertId] = ack;
                return true;
            default:
                return false;
        }
    }
}
