using System.Runtime.InteropServices;

namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// What a sensor usually does at each phase of a period (a day): per slot, the exponentially weighted mean
/// value seen in that slot in earlier periods, and the largest surprise seen there in earlier periods (slowly
/// forgotten), so that a daily batch job's spike stops being news. One 16-byte record per slot, contiguous,
/// so a reading touches a few neighbouring cache lines.
/// </summary>
internal sealed class PeriodProfile
{
    private readonly long _period, _slotMicros;
    private readonly Slot[] _slots;

    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        public float Mean, Usual, Current;
        public int LastPeriod;
    }

    public PeriodProfile(long periodMicros, int slots)
    {
        _period = periodMicros;
        _slotMicros = periodMicros / slots;
        _slots = new Slot[slots];
        for (var i = 0; i < slots; i++) _slots[i].LastPeriod = int.MinValue;
    }

    public void Save(BinaryWriter w)
    {
        w.Write(_slots.Length);
        foreach (var s in _slots) { w.Write(s.Mean); w.Write(s.Usual); w.Write(s.Current); w.Write(s.LastPeriod); }
    }

    public void Load(BinaryReader r)
    {
        if (r.ReadInt32() != _slots.Length) throw new InvalidDataException($"model snapshot: expected {_slots.Length} time-of-day slots");
        for (var i = 0; i < _slots.Length; i++)
            _slots[i] = new Slot { Mean = r.ReadSingle(), Usual = r.ReadSingle(), Current = r.ReadSingle(), LastPeriod = r.ReadInt32() };
    }

    public int SlotOf(long timestampMicros) => (int)(((timestampMicros % _period) + _period) % _period / _slotMicros);

    private int PeriodOf(long timestampMicros) => (int)Math.Floor((double)timestampMicros / _period);

    /// <summary>|value - the slot's mean over earlier periods|, or NaN when the slot was not seen in an earlier period.</summary>
    public double Residual(int slot, long timestampMicros, double value)
    {
        ref var s = ref _slots[slot];
        return s.LastPeriod != int.MinValue && s.LastPeriod < PeriodOf(timestampMicros) ? Math.Abs(value - s.Mean) : double.NaN;
    }

    /// <summary>The largest surprise of earlier periods within <paramref name="reach"/> slots of this one.</summary>
    public double UsualSurprise(int slot, int reach)
    {
        var n = _slots.Length;
        double max = _slots[slot].Usual;
        for (var k = 1; k <= reach; k++)
            max = Math.Max(max, Math.Max(_slots[(slot + k) % n].Usual, _slots[(slot + n - k) % n].Usual));
        return max;
    }

    public void Learn(int slot, long timestampMicros, double value, double surprise, double alpha, double decay)
    {
        ref var s = ref _slots[slot];
        var period = PeriodOf(timestampMicros);
        if (s.LastPeriod == int.MinValue) s.Mean = (float)value;
        else s.Mean += (float)(alpha * (value - s.Mean));
        if (s.LastPeriod != period)
        {
            s.Usual = (float)Math.Max(s.Usual * decay, s.Current);
            s.Current = 0;
        }
        s.LastPeriod = period;
        s.Current = (float)Math.Max(s.Current, surprise);
    }
}
