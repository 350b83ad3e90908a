using IotTelemetry.Common.Readings;

namespace IotTelemetry.Edge.Vendors;

/// <summary>The readings of one sensor in one downsampling window [start, end), summed as they arrive.</summary>
public sealed class SensorWindow(Reading first, long startMicros, long endMicros, long firstOffset)
{
    private double _sum;

    public string Site { get; } = first.Site;
    public string Asset { get; } = first.Asset;
    public string Sensor { get; } = first.Sensor;
    public long StartMicros { get; } = startMicros;
    public long EndMicros { get; } = endMicros;

    /// <summary>Source offset of the first reading in the window: a replay from there rebuilds it.</summary>
    public long FirstOffset { get; } = firstOffset;

    public int Count { get; private set; }
    public string Unit { get; private set; } = first.Unit;
    public Quality WorstQuality { get; private set; } = Quality.Good;
    public double Mean => _sum / Count;

    public void Add(Reading r)
    {
        _sum += r.Value;
        Count++;
        Unit = r.Unit;
        if (r.Quality > WorstQuality) WorstQuality = r.Quality;
    }
}
