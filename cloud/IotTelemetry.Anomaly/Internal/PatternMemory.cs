namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// Recently seen shapes: the last <c>dimension</c> block means, scaled to the range seen so far, are matched
/// against a bounded set of prototype shapes (online vector quantization). The distance to the nearest prototype
/// is the raw novelty of the current shape; the prototype moves toward it, or a new prototype is added when the
/// shape is far from all of them and there is room.
/// </summary>
internal sealed class PatternMemory
{
    private readonly int _dimension, _capacity;
    private readonly double[] _window;
    private readonly double[] _prototypes;
    private int _count, _filled, _head;
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity;

    public PatternMemory(int dimension, int capacity)
    {
        _dimension = dimension;
        _capacity = capacity;
        _window = new double[dimension];
        _prototypes = new double[dimension * capacity];
    }

    /// <summary>Adds one block mean; returns the distance of the current shape to the nearest known one, or NaN while filling.</summary>
    public double Observe(double blockMean, double radius, double rate)
    {
        _window[_head] = blockMean;
        _head = (_head + 1) % _dimension;
        if (blockMean < _min) _min = blockMean;
        if (blockMean > _max) _max = blockMean;
        if (_filled < _dimension)
        {
            _filled++;
            return double.NaN;
        }
        var range = _max - _min;
        var scale = range > 0 ? 1.0 / range : 0;
        Span<double> x = stackalloc double[_dimension];
        for (var i = 0; i < _dimension; i++) x[i] = (_window[(_head + i) % _dimension] - _min) * scale;

        var best = -1;
        var bestDistance = double.PositiveInfinity;
        for (var p = 0; p < _count; p++)
        {
            var row = _prototypes.AsSpan(p * _dimension, _dimension);
            var d = 0.0;
            for (var i = 0; i < _dimension; i++) d += Math.Abs(x[i] - row[i]);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = p;
            }
        }
        bestDistance /= _dimension;
        if (best < 0 || (bestDistance > radius && _count < _capacity))
        {
            x.CopyTo(_prototypes.AsSpan(_count * _dimension, _dimension));
            _count++;
        }
        else
        {
            var row = _prototypes.AsSpan(best * _dimension, _dimension);
            for (var i = 0; i < _dimension; i++) row[i] += rate * (x[i] - row[i]);
        }
        return best < 0 ? 0 : bestDistance;
    }
}
