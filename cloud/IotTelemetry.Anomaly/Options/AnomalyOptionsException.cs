namespace IotTelemetry.Anomaly;

/// <summary>The configuration is invalid; <see cref="Errors"/> names each key and what was expected.</summary>
public sealed class AnomalyOptionsException(IReadOnlyList<string> errors)
    : Exception("Invalid anomaly configuration: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
