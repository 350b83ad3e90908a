namespace IotTelemetry.Anomaly;

/// <summary>Missing data (configuration key <c>Gap</c> of a rule); judged by <see cref="AnomalyEngine.Tick(long)"/>.</summary>
public sealed class GapOptions
{
    /// <summary>The sensor's reporting interval; zero learns it from the readings.</summary>
    public TimeSpan ExpectedInterval { get; set; }

    /// <summary>Raise when no reading came for this many expected intervals.</summary>
    public double Intervals { get; set; } = 5;

    public Severity Severity { get; set; } = Severity.Warning;
}
