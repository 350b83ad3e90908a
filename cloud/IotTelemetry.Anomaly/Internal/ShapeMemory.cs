namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// How unlike the recent shape of a series is to the shapes it had before: the last <c>dims</c> block means,
/// centred on their own mean and scaled by the series' typical block-to-block spread, form a lag vector; its
/// distance to the nearest of a fixed number of stored earlier vectors (a ring, one stored every
/// <c>stride</c> blocks) is the raw novelty, judged like the other measures by <see cref="ScoreStats"/>.
/// Constant work per block (slots × dims) and fixed memory.
/// </summary>
internal sealed class ShapeMemory
{
    private readonly int _dims, _slots, _stride;
    private readonly float[] _recent;
    private readonly float[] _stored;
    private readonly float[] _vector;
    private int _recentFill, _recentNext, _storedFill, _storedNext, _sinceStore;
    private double _spread, _last;
    private long _blocks;
    private ScoreStats _novelty;

    public ShapeMemory(int dims, int slots, int stride)
    {
        _dims = dims;
        _slots = slots;
        _stride = Math.Max(1, stride);
        _recent = new float[dims];
        _stored = new float[dims * slots];
        _vector = new float[dims];
    }

    /// <summary>Adds one block mean; returns the surprise of the current shape (0 until enough history).</summary>
    public double Observe(double blockMean, LearnedOptions o)
    {
        _blocks++;
        if (_blocks > 1)
        {
            var step = Math.Abs(blockMean - _last);
            _spread += Math.Max(1.0 / _blocks, 0.01) * (step - _spread);
        }
        _last = blockMean;
        _recent[_recentNext] = (float)blockMean;
        _recentNext = (_recentNext + 1) % _dims;
        if (_recentFill < _dims)
        {
            _recentFill++;
            if (_recentFill < _dims) return 0;
        }

        double mean = 0;
        for (var i = 0; i < _dims; i++) mean += _recent[i];
        mean /= _dims;
        var scale = _spread > 1e-12 ? _spread : 1;
        for (var i = 0; i < _dims; i++)
        {
            var v = (_recent[(_recentNext + i) % _dims] - mean) / scale;
            _vector[i] = (float)Math.Clamp(v, -50, 50);
        }

        var raw = double.NaN;
        if (_storedFill > 0)
        {
            var best = double.MaxValue;
            for (var s = 0; s < _storedFill; s++)
            {
                var offset = s * _dims;
                double d = 0;
                for (var i = 0; i < _dims && d < best; i++)
                {
                    var e = _vector[i] - _stored[offset + i];
                    d += e * e;
                }
                if (d < best) best = d;
            }
            raw = Math.Sqrt(best / _dims);
        }

        if (++_sinceStore >= _stride)
        {
            _sinceStore = 0;
            Array.Copy(_vector, 0, _stored, _storedNext * _dims, _dims);
            _storedNext = (_storedNext + 1) % _slots;
            if (_storedFill < _slots) _storedFill++;
        }
        if (double.IsNaN(raw) || _storedFill < _slots / 2) return 0;
        return _novelty.Surprise(raw, 1.0 / o.LikelihoodHorizon * o.BlockSize, o, o.PeakDecay);
    }
}
