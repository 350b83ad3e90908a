namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// Which moves the series makes between levels: the range seen so far is cut into a fixed number of bins and
/// every reading counts one transition from the previous reading's bin to its own, the counts fading so that
/// about <c>horizon</c> readings are remembered. A reading's probability is that of its transition given the
/// previous bin, each row backed off to the share of the target bin over all readings, so a level reached the
/// usual way is likely and a usual level reached from an unusual one is not. The first two distinct values set
/// the bin width (half their distance); when a value leaves the range, neighbouring bins merge in pairs and the
/// range doubles (no value is re-read). <c>phase</c> shifts the bin edges by that share of a bin.
/// Fixed size: bins² + bins floats (about 300 bytes for 8 bins), no allocation after construction.
/// </summary>
internal sealed class TransitionDensity
{
    private const double Prior = 0.05;
    private const double Backoff = 1;
    private readonly int _n;
    private readonly float[] _cells, _marginal;
    private readonly double _keep, _phase;
    private double _low, _width, _weight = 1, _total, _first;
    private int _previous = -1;
    private bool _started;

    /// <param name="bins">Bins across the range (even, so that pairs merge).</param>
    /// <param name="horizon">Readings over which counts fade (factor 1 - 1/horizon per reading).</param>
    /// <param name="phase">Share of a bin, in [0, 1), by which the bin edges are shifted down.</param>
    public TransitionDensity(int bins, double horizon, double phase = 0)
    {
        if (bins < 2 || bins % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "expected an even bin count of at least 2");
        if (!(horizon > 1)) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "expected more than 1 reading");
        if (!(phase >= 0 && phase < 1)) throw new ArgumentOutOfRangeException(nameof(phase), phase, "expected a share of a bin in [0, 1)");
        _phase = phase;
        _n = bins;
        _cells = new float[bins * bins];
        _marginal = new float[bins];
        _keep = 1 - 1 / horizon;
    }

    public void Save(BinaryWriter w)
    {
        w.Write(_cells); w.Write(_marginal);
        w.Write(_low); w.Write(_width); w.Write(_weight); w.Write(_total); w.Write(_first); w.Write(_previous); w.Write(_started);
    }

    public void Load(BinaryReader r)
    {
        r.ReadFloats(_cells);
        r.ReadFloats(_marginal);
        (_low, _width, _weight, _total, _first) = (r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        _previous = r.ReadInt32();
        _started = r.ReadBoolean();
    }

    /// <summary>The probability of <paramref name="value"/> following the previous reading, then learns it;
    /// 1 until two distinct values have set the scale.</summary>
    public double Observe(double value)
    {
        if (!_started)
        {
            _started = true;
            _first = value;
            return 1;
        }
        if (_previous < 0)
        {
            if (value == _first) return 1;
            _width = Math.Abs(value - _first) / 2;
            _low = Math.Min(value, _first) - (_n / 4 + _phase) * _width;
            _previous = Bin(_first);
            _marginal[_previous] = 1;
            _total = 1;
        }
        Cover(value);
        var bin = Bin(value);
        var row = _previous * _n;
        double rowTotal = 0;
        for (var j = 0; j < _n; j++) rowTotal += _cells[row + j];
        var share = (_marginal[bin] + Prior * _weight) / (_total + Prior * _weight * _n);
        var p = (_cells[row + bin] + Backoff * _weight * share) / (rowTotal + Backoff * _weight);
        Learn(bin);
        return p;
    }

    private int Bin(double value) => Math.Clamp((int)((value - _low) / _width), 0, _n - 1);

    /// <summary>Counts the transition with a weight that grows per reading instead of fading every count.</summary>
    private void Learn(int bin)
    {
        _weight /= _keep;
        if (_weight > 1e20)
        {
            for (var i = 0; i < _cells.Length; i++) _cells[i] = (float)(_cells[i] / _weight);
            for (var i = 0; i < _n; i++) _marginal[i] = (float)(_marginal[i] / _weight);
            _total /= _weight;
            _weight = 1;
        }
        _cells[_previous * _n + bin] += (float)_weight;
        _marginal[bin] += (float)_weight;
        _total += _weight;
        _previous = bin;
    }

    private void Cover(double value)
    {
        while (value >= _low + _n * _width) Merge(0);
        while (value < _low)
        {
            Merge(_n / 2);
            _low -= _n * _width / 2;
        }
    }

    /// <summary>Doubles the bin width in place: bins 2k and 2k+1 become bin <paramref name="offset"/> + k (a merged
    /// cell never lands on one not yet read: walk up when merging down to 0, down when merging up to n/2).</summary>
    private void Merge(int offset)
    {
        var cells = _cells.Length;
        for (var step = 0; step < cells; step++)
        {
            var c = offset == 0 ? step : cells - 1 - step;
            var v = _cells[c];
            _cells[c] = 0;
            _cells[(offset + c / _n / 2) * _n + offset + c % _n / 2] += v;
        }
        for (var step = 0; step < _n; step++)
        {
            var i = offset == 0 ? step : _n - 1 - step;
            var v = _marginal[i];
            _marginal[i] = 0;
            _marginal[offset + i / 2] += v;
        }
        _previous = offset + _previous / 2;
        _width *= 2;
    }
}
