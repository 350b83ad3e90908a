namespace IotTelemetry.Edge.Sparkplug;

/// <summary>
/// One metric of a Sparkplug B payload, reduced to what telemetry needs. <see cref="Value"/> is null for
/// non-numeric types (string, bytes, dataset, template...) and for null metrics.
/// </summary>
public sealed record SparkplugMetric(string? Name, ulong? Alias, ulong? TimestampMillis, uint DataType, bool IsNull, double? Value, int? Quality);
