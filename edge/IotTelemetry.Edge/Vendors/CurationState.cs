using IotTelemetry.Common.Readings;

namespace IotTelemetry.Edge.Vendors;

/// <summary>
/// Applies one policy to the readings of one source partition, in offset order. Without downsampling a
/// matching reading gives one record at once. With downsampling a sensor's window is emitted when the
/// sensor's first reading of a later window arrives, so each source offset closes at most one window and
/// a replay of the same offsets emits the same records at the same offsets. A reading older than its
/// sensor's open window is late: it is counted and left out.
/// </summary>
public sealed class CurationState(VendorPolicy policy)
{
    private readonly Dictionary<string, SensorWindow> _open = new(StringComparer.Ordinal);
    private readonly long _windowMicros = policy.Downsample is { } w ? w.Ticks / 10 : 0;

    public VendorPolicy Policy => policy;

    /// <summary>Readings left out because their window had already been emitted.</summary>
    public long LateReadings { get; private set; }

    /// <summary>The record this reading (at <paramref name="offset"/>) completes, if any.</summary>
    public CuratedRecord? Process(long offset, Reading r)
    {
        if (!policy.Matches(r)) return null;
        if (_windowMicros == 0) return VendorRecord.FromReading(policy, r);

        var start = r.TimestampMicros - Mod(r.TimestampMicros, _windowMicros);
        var key = r.Key;
        if (_open.TryGetValue(key, out var window))
        {
            if (start == window.StartMicros) { window.Add(r); return null; }
            if (start < window.StartMicros) { LateReadings++; return null; }
        }
        var next = new SensorWindow(r, start, start + _windowMicros, offset);
        next.Add(r);
        _open[key] = next;
        return window is null ? null : VendorRecord.FromWindow(policy, window);
    }

    /// <summary>Every open window, in key order, as records (used when the policy changes); the state is emptied.</summary>
    public List<CuratedRecord> FlushAll()
    {
        var records = _open.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => VendorRecord.FromWindow(policy, kv.Value)).ToList();
        _open.Clear();
        return records;
    }

    /// <summary>Where a replay must start to rebuild the open windows: the first offset of the oldest, else <paramref name="next"/>.</summary>
    public long ReplayFrom(long next)
    {
        var from = next;
        foreach (var w in _open.Values) from = Math.Min(from, w.FirstOffset);
        return from;
    }

    private static long Mod(long a, long m) => ((a % m) + m) % m;
}
