namespace IotTelemetry.Common.Metrics;

/// <summary>A value read when metrics are scraped.</summary>
public sealed class Gauge(string name, string help, string labels, Func<double> read)
{
    public string Name { get; } = name;
    public string Help { get; } = help;
    public string Labels { get; } = labels;
    public double Value => read();
}
