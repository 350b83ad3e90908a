namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// What a sensor usually does at each time of day: per slot of the day, the exponentially weighted mean value
/// seen in that slot on earlier days, and the largest surprise seen there recently (slowly forgotten).
/// </summary>
internal sealed class DailyProfile
{
    private const long MicrosPerDay = 86_400_000_000L;
    private readonly double[] _mean;
    private readonly double[] _surprise;
    private readonly double[] _today;
    private readonly long[] _lastDay;
    private readonly long _slotMicros;

    public DailyProfile(int slots)
    {
        _mean = new double[slots];
        _surprise = new double[slots];
        _today = new double[slots];
        _lastDay = new long[slots];
        Array.Fill(_lastDay, long.MinValue);
        _slotMicros = MicrosPerDay / slots;
    }

    public int Slot(long timestampMicros) => (int)(((timestampMicros % MicrosPerDay) + MicrosPerDay) % MicrosPerDay / _slotMicros);

    /// <summary>|value - the slot's mean| from earlier days, or NaN when the slot has no earlier day yet.</summary>
    public double Residual(int slot, long timestampMicros, double value)
    {
        var day = timestampMicros / MicrosPerDay;
        return _lastDay[slot] != long.MinValue && _lastDay[slot] < day ? Math.Abs(value - _mean[slot]) : double.NaN;
    }

    /// <summary>The largest recent surprise in this slot and its neighbours on earlier days.</summary>
    public double UsualSurprise(int slot)
    {
        var n = _surprise.Length;
        return Math.Max(_surprise[slot], Math.Max(_surprise[(slot + 1) % n], _surprise[(slot + n - 1) % n]));
    }

    public void Learn(int slot, long timestampMicros, double value, double surprise, double alpha, double decay)
    {
        var day = timestampMicros / MicrosPerDay;
        if (_lastDay[slot] == long.MinValue) _mean[slot] = value;
        else _mean[slot] += alpha * (value - _mean[slot]);
        if (_lastDay[slot] != day)
        {
            _surprise[slot] = Math.Max(_surprise[slot] * decay, _today[slot]);
            _today[slot] = 0;
        }
        _lastDay[slot] = day;
        _today[slot] = Math.Max(_today[slot], surprise);
    }
}
