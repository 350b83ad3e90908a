namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// The rarity of a reading's move between levels, -ln of its probability averaged over three
/// <see cref="TransitionDensity"/> whose bin edges are shifted by a third of a bin from each other (averaged
/// shifted histograms): where an edge happens to fall matters much less than with one set of bins.
/// </summary>
internal sealed class ShiftedTransitions
{
    private readonly TransitionDensity _a, _b, _c;

    public ShiftedTransitions(int bins, double horizon)
    {
        _a = new TransitionDensity(bins, horizon, 0);
        _b = new TransitionDensity(bins, horizon, 1.0 / 3);
        _c = new TransitionDensity(bins, horizon, 2.0 / 3);
    }

    public void Save(BinaryWriter w) { _a.Save(w); _b.Save(w); _c.Save(w); }

    public void Load(BinaryReader r) { _a.Load(r); _b.Load(r); _c.Load(r); }

    /// <summary>-ln of the mean probability of <paramref name="value"/> after the previous reading (0 at first).</summary>
    public double Observe(double value) => -Math.Log((_a.Observe(value) + _b.Observe(value) + _c.Observe(value)) / 3);
}
