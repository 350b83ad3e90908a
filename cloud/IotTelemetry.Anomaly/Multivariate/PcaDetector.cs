using IotTelemetry.Anomaly.Internal;
using MathNet.Numerics.LinearAlgebra;

namespace IotTelemetry.Anomaly;

/// <summary>
/// The joint behaviour of one asset's sensors as a principal-component model of the standardized readings: the
/// Hotelling T² of a row (its distance inside the model plane, in units of each component's variance) and its
/// Q (squared prediction error, the distance off the plane) are each divided by a control limit, the
/// <see cref="MultivariateOptions.Quantile"/> of the warm-up rows' values, and the larger ratio, smoothed, is the
/// score (abnormal from <see cref="MultivariateOptions.AlertScore"/>). Sensors the warm-up finds slow (see
/// <see cref="MultivariateOptions.SlowRatio"/>) are left out of the model. The warm-up rows are kept until the fit and
/// then dropped; after it, normal rows move the mean and covariance slowly and the components are refitted every
/// <see cref="MultivariateOptions.RefitEvery"/> rows. Work per row O(sensors × components), memory O(sensors²).
/// </summary>
public sealed class PcaDetector
{
    private readonly MultivariateOptions _o;
    private readonly int _d;
    private double[]? _warm;
    private SlowSensorTest? _slowTest;
    private int _filled, _sinceFit, _stride;
    private readonly double[] _mean, _cov, _sd, _z, _t, _residual, _contribution;
    private readonly bool[] _slow;
    private double[] _components = [];
    private double[] _eigen = [];
    private int _k;
    private double _t2Limit = 1, _qLimit = 1, _smoothed;

    public PcaDetector(MultivariateOptions options, int sensors)
    {
        if (sensors < 1) throw new ArgumentOutOfRangeException(nameof(sensors), sensors, "expected at least one sensor");
        _o = options;
        _d = sensors;
        _warm = new double[Math.Max(2, options.WarmUp) * sensors];
        _slowTest = NewSlowTest();
        _mean = new double[sensors];
        _cov = new double[sensors * sensors];
        _sd = new double[sensors];
        _z = new double[sensors];
        _t = new double[sensors];
        _residual = new double[sensors];
        _contribution = new double[sensors];
        _slow = new bool[sensors];
    }

    public int Sensors => _d;

    /// <summary>True once the model is fitted (after the warm-up).</summary>
    public bool Fitted => _warm is null;

    /// <summary>Principal components kept.</summary>
    public int Components => _k;

    /// <summary>Per sensor, true when the warm-up found it slow (see <see cref="MultivariateOptions.SlowRatio"/>): it is
    /// left out of the model (its standardized value is held at 0).</summary>
    public ReadOnlySpan<bool> Slow => _slow;

    /// <summary>The last row's T² over its limit and Q over its limit (0 before the fit).</summary>
    public (double T2, double Q) LastRatios { get; private set; }

    /// <summary>Each sensor's share of the last row's deviation (T² and Q parts, each over its limit).</summary>
    public ReadOnlySpan<double> Contributions => _contribution;

    /// <summary>Observes one row (one value per sensor, in the model's order); returns the smoothed score, 0 while warming.</summary>
    public double Observe(ReadOnlySpan<double> row)
    {
        if (row.Length != _d) throw new ArgumentException($"expected {_d} values, got {row.Length}", nameof(row));
        foreach (var v in row) if (!double.IsFinite(v)) return _smoothed;
        if (_warm is not null)
        {
            _slowTest!.Add(row);
            if (++_stride < Math.Max(1, _o.WarmUpStride)) return 0;
            _stride = 0;
            row.CopyTo(_warm.AsSpan(_filled * _d, _d));
            if (++_filled * _d == _warm.Length) FitWarmUp();
            return 0;
        }
        var (t2, q) = Statistics(row);
        var ratio = Math.Max(t2 / _t2Limit, q / _qLimit);
        LastRatios = (t2 / _t2Limit, q / _qLimit);
        _smoothed += _o.Smoothing * (ratio - _smoothed);
        for (var i = 0; i < _d; i++)
        {
            var explained = 0.0;
            for (var j = 0; j < _k; j++) explained += _components[i * _d + j] * _t[j] / _eigen[j];
            _contribution[i] = Math.Max(0, _z[i] * explained) / _t2Limit + _residual[i] * _residual[i] / _qLimit;
        }
        if (_o.LearningRate > 0 && _smoothed < _o.AlertScore) Learn(row);
        return _smoothed;
    }

    /// <summary>Writes the model (or the warm-up rows so far); <see cref="Load"/> continues from it.</summary>
    public void Save(BinaryWriter w)
    {
        w.Write(_d);
        w.Write(_warm is not null);
        if (_warm is not null)
        {
            w.Write(_filled); w.Write(_warm.AsSpan(0, _filled * _d).ToArray());
            _slowTest!.Save(w);
        }
        w.Write(_mean); w.Write(_cov); w.Write(_sd); w.Write(_components); w.Write(_eigen);
        w.Write(_k); w.Write(_sinceFit); w.Write(_t2Limit); w.Write(_qLimit); w.Write(_smoothed);
        foreach (var slow in _slow) w.Write(slow);
        w.Write(_stride);
    }

    /// <summary>Continues from a <see cref="Save"/> of a detector over as many sensors.</summary>
    public void Load(BinaryReader r)
    {
        if (r.ReadInt32() != _d) throw new InvalidDataException($"model snapshot: expected a model of {_d} sensors");
        if (r.ReadBoolean())
        {
            _filled = r.ReadInt32();
            var rows = r.ReadDoubles(_filled * _d);
            _warm ??= new double[Math.Max(2, _o.WarmUp) * _d];
            if (rows.Length > _warm.Length) throw new InvalidDataException("model snapshot: more warm-up rows than WarmUp");
            rows.CopyTo(_warm, 0);
            _slowTest ??= NewSlowTest();
            _slowTest.Load(r);
        }
        else (_warm, _slowTest) = (null, null);
        r.ReadDoubles(_d).CopyTo(_mean, 0);
        r.ReadDoubles(_d * _d).CopyTo(_cov, 0);
        r.ReadDoubles(_d).CopyTo(_sd, 0);
        _components = r.ReadDoubles();
        _eigen = r.ReadDoubles();
        (_k, _sinceFit) = (r.ReadInt32(), r.ReadInt32());
        (_t2Limit, _qLimit, _smoothed) = (r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        for (var i = 0; i < _d; i++) _slow[i] = r.ReadBoolean();
        _stride = r.ReadInt32();
        if (_warm is null && (_k < 1 || _k > _d || _eigen.Length != _k || _components.Length != _d * _d))
            throw new InvalidDataException("model snapshot: inconsistent principal components");
    }

    /// <summary>The indexes of the <paramref name="count"/> sensors contributing most to the last row, largest first.</summary>
    public int[] TopContributors(int count)
    {
        var order = new int[_d];
        for (var i = 0; i < _d; i++) order[i] = i;
        var keys = new double[_d];
        for (var i = 0; i < _d; i++) keys[i] = -_contribution[i];
        Array.Sort(keys, order);
        return order[..Math.Min(count, _d)];
    }

    private (double T2, double Q) Statistics(ReadOnlySpan<double> row)
    {
        for (var i = 0; i < _d; i++) _z[i] = _slow[i] ? 0 : (row[i] - _mean[i]) / _sd[i];
        var t2 = 0.0;
        for (var j = 0; j < _k; j++)
        {
            var s = 0.0;
            for (var i = 0; i < _d; i++) s += _components[i * _d + j] * _z[i];
            _t[j] = s;
            t2 += s * s / _eigen[j];
        }
        var q = 0.0;
        for (var i = 0; i < _d; i++)
        {
            var r = _z[i];
            for (var j = 0; j < _k; j++) r -= _components[i * _d + j] * _t[j];
            _residual[i] = r;
            q += r * r;
        }
        return (t2, q);
    }

    private void Learn(ReadOnlySpan<double> row)
    {
        var a = _o.LearningRate;
        for (var i = 0; i < _d; i++) _mean[i] += a * (row[i] - _mean[i]);
        for (var i = 0; i < _d; i++)
        {
            var di = row[i] - _mean[i];
            for (var j = 0; j <= i; j++)
            {
                var c = _cov[i * _d + j] + a * (di * (row[j] - _mean[j]) - _cov[i * _d + j]);
                _cov[i * _d + j] = c;
                _cov[j * _d + i] = c;
            }
        }
        if (++_sinceFit >= _o.RefitEvery) Refit(chooseComponents: false);
    }

    private void FitWarmUp()
    {
        var warm = _warm!;
        var n = _filled;
        for (var r = 0; r < n; r++)
            for (var i = 0; i < _d; i++) _mean[i] += warm[r * _d + i] / n;
        for (var r = 0; r < n; r++)
            for (var i = 0; i < _d; i++)
                for (var j = 0; j < _d; j++)
                    _cov[i * _d + j] += (warm[r * _d + i] - _mean[i]) * (warm[r * _d + j] - _mean[j]) / (n - 1);
        _slowTest!.Mark(_o.SlowRatio, _slow);
        Refit(chooseComponents: true);
        var t2 = new double[n];
        var q = new double[n];
        for (var r = 0; r < n; r++) (t2[r], q[r]) = Statistics(warm.AsSpan(r * _d, _d));
        _t2Limit = Math.Max(1e-9, Quantile(t2, _o.Quantile));
        _qLimit = Math.Max(1e-9, Quantile(q, _o.Quantile));
        (_warm, _slowTest) = (null, null);
    }

    /// <summary>
    /// A sensor is slow when, over the warm-up rows, the variance of its change across <see cref="SlowLag"/> rows
    /// is more than <see cref="MultivariateOptions.SlowRatio"/> times that of its change from one row to the next:
    /// for noise around a level the two are equal, for a sensor that wanders (a temperature following the load)
    /// the first grows with the lag, and the warm-up then samples only part of its normal range. Such a sensor is
    /// left to the per-sensor detectors; when every sensor is slow, all are kept. Counted over every row the warm-up
    /// spans, also those a stride does not keep.
    /// </summary>
    private SlowSensorTest NewSlowTest() =>
        new(_d, Math.Min(SlowLag, Math.Max(2, _o.WarmUp) * Math.Max(1, _o.WarmUpStride) / 4));

    /// <summary>The lag of the slow-sensor test, in rows (or a quarter of the warm-up when shorter).</summary>
    public const int SlowLag = 50;

    /// <summary>Principal components of the correlation matrix (the covariance of the standardized sensors; a slow
    /// sensor's row and column are zero, so no component is built on it). How many are kept is chosen once, at the
    /// warm-up fit: the control limits were set for that many (T² of k components grows with k), so a refit that
    /// kept one more because the explained share slipped under <see cref="MultivariateOptions.Variance"/> would judge
    /// every row against a limit too low for it.</summary>
    private void Refit(bool chooseComponents)
    {
        _sinceFit = 0;
        for (var i = 0; i < _d; i++) _sd[i] = Math.Sqrt(Math.Max(_cov[i * _d + i], 1e-12));
        var correlation = Matrix<double>.Build.Dense(_d, _d, (i, j) => _slow[i] || _slow[j] ? 0 : _cov[i * _d + j] / (_sd[i] * _sd[j]));
        var active = _slow.Count(s => !s);
        var evd = correlation.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => Math.Max(c.Real, 0)).ToArray();
        var order = Enumerable.Range(0, _d).OrderByDescending(i => values[i]).ToArray();
        if (chooseComponents)
        {
            var total = values.Sum();
            _k = 0;
            var kept = 0.0;
            while (_k < active - 1 && kept < _o.Variance * total) kept += values[order[_k++]];
            _k = Math.Max(1, _k);
        }
        _components = new double[_d * _d];
        _eigen = new double[_k];
        for (var j = 0; j < _k; j++)
        {
            _eigen[j] = Math.Max(values[order[j]], 1e-9);
            for (var i = 0; i < _d; i++) _components[i * _d + j] = evd.EigenVectors[i, order[j]];
        }
    }

    private static double Quantile(double[] values, double q)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
