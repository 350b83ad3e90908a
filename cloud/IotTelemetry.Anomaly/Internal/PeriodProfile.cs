namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// What a sensor usually does at each phase of a period (a day): per slot, the exponentially weighted mean
/// value seen in that slot in earlier periods, and the largest surprise seen there in earlier periods (slowly
/// forgotten), so that a daily batch job's spike stops being news. Floats keep it at 16 bytes per slot.
/// </summary>
internal sealed class PeriodProfile
{
    private readonly long _period, _slotMicros;
    private readonly float[] _mean, _usual, _current;
    private readonly int[] _lastPeriod;

    public PeriodProfile(long periodMicros, int slots)
    {
        _period = periodMicros;
        _slotMicros = periodMicros / slots;
        _mean = new float[slots];
        _usual = new float[slots];
        _current = new float[slots];
        _lastPeriod = new int[slots];
        Array.Fill(_lastPeriod, int.MinValue);
    }

    public int Slot(long timestampMicros) => (int)(((timestampMicros % _period) + _period) % _period / _slotMicros);

    private int PeriodOf(long timestampMicros) => (int)Math.Floor((double)timestampMicros / _period);

    /// <summary>|value - the slot's mean over earlier periods|, or NaN when the slot was not seen in an earlier period.</summary>
    public double Residual(int slot, long timestampMicros, double value)
    {
        var last = _lastPeriod[slot];
        return last != int.MinValue && last < PeriodOf(timestampMicros) ? Math.Abs(value - _mean[slot]) : double.NaN;
    }

    /// <summary>The largest surprise of earlier periods within <paramref name="reach"/> slots of this one.</summary>
    public double UsualSurprise(int slot, int reach)
    {
        var n = _usual.Length;
        double max = _usual[slot];
        for (var k = 1; k <= reach; k++)
            max = Math.Max(max, Math.Max(_usual[(slot + k) % n], _usual[(slot + n - k) % n]));
        return max;
    }

    public void Learn(int slot, long timestampMicros, double value, double surprise, double alpha, double decay)
    {
        var period = PeriodOf(timestampMicros);
        if (_lastPeriod[slot] == int.MinValue) _mean[slot] = (float)value;
        else _mean[slot] += (float)(alpha * (value - _mean[slot]));
        if (_lastPeriod[slot] != period)
        {
            _usual[slot] = (float)Math.Max(_usual[slot] * decay, _current[slot]);
            _current[slot] = 0;
        }
        _lastPeriod[slot] = period;
        _current[slot] = (float)Math.Max(_current[slot], surprise);
    }
}
