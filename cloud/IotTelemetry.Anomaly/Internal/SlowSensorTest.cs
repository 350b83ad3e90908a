namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// The slow-sensor test of <see cref="PcaDetector"/>, accumulated row by row over every warm-up row (also those a
/// <see cref="MultivariateOptions.WarmUpStride"/> does not keep): per sensor the sum of squared changes from one row
/// to the next and across <c>lag</c> rows, the last <c>lag</c> rows in a ring. A sensor is slow when the mean squared
/// change across the lag is more than <c>ratio</c> times the one-step one.
/// </summary>
internal sealed class SlowSensorTest
{
    private readonly int _d, _lag;
    private readonly double[] _ring, _one, _far;
    private long _rows;

    public SlowSensorTest(int sensors, int lag)
    {
        _d = sensors;
        _lag = Math.Max(1, lag);
        _ring = new double[_lag * sensors];
        _one = new double[sensors];
        _far = new double[sensors];
    }

    public void Add(ReadOnlySpan<double> row)
    {
        if (_rows > 0)
        {
            var previous = (int)((_rows - 1) % _lag) * _d;
            for (var i = 0; i < _d; i++) _one[i] += Square(row[i] - _ring[previous + i]);
        }
        var slot = (int)(_rows % _lag) * _d;
        if (_rows >= _lag)
            for (var i = 0; i < _d; i++) _far[i] += Square(row[i] - _ring[slot + i]);
        row.CopyTo(_ring.AsSpan(slot, _d));
        _rows++;
    }

    /// <summary>Marks each sensor slow or not in <paramref name="slow"/>; none when the test is off (ratio 0) or
    /// too few rows were seen, and none either when every sensor would be.</summary>
    public void Mark(double ratio, Span<bool> slow)
    {
        slow.Clear();
        if (ratio <= 0 || _lag < 2 || _rows <= _lag) return;
        var all = true;
        for (var i = 0; i < _d; i++)
        {
            slow[i] = _far[i] / (_rows - _lag) > ratio * _one[i] / (_rows - 1);
            all &= slow[i];
        }
        if (all) slow.Clear();
    }

    public void Save(BinaryWriter w)
    {
        w.Write(_rows); w.Write(_ring); w.Write(_one); w.Write(_far);
    }

    public void Load(BinaryReader r)
    {
        _rows = r.ReadInt64();
        r.ReadDoubles(_ring.Length).CopyTo(_ring, 0);
        r.ReadDoubles(_d).CopyTo(_one, 0);
        r.ReadDoubles(_d).CopyTo(_far, 0);
    }

    private static double Square(double x) => x * x;
}
