namespace IotTelemetry.Cloud.Influx;

/// <summary>InfluxDB did not accept a write. <see cref="IsTransient"/>: worth retrying (server down, 5xx, 429, timeout).</summary>
public sealed class InfluxWriteException(string message, bool isTransient, Exception? inner = null) : Exception(message, inner)
{
    public bool IsTransient { get; } = isTransient;
}
