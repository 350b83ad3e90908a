namespace IotTelemetry.Common.Readings;

/// <summary>
/// The canonical sensor reading every input is turned into at the edge and every cloud service consumes.
/// Timestamps are microseconds since the Unix epoch, UTC.
/// </summary>
/// <param name="Site">Plant identifier, e.g. <c>plant-a</c>.</param>
/// <param name="Asset">Machine within the plant, e.g. <c>pump-07</c>.</param>
/// <param name="Sensor">Measured quantity on the asset, e.g. <c>vibration</c>.</param>
/// <param name="TimestampMicros">When the value was measured (event time), µs since 1970-01-01T00:00:00Z.</param>
/// <param name="Value">The measured value.</param>
/// <param name="Quality">Good, uncertain or bad, as the source reported it.</param>
/// <param name="Unit">Engineering unit, e.g. <c>mm/s</c>; empty when unknown.</param>
/// <param name="Source">Which input and address it came from, e.g. <c>mqtt:plants/a/pump-07/vibration</c>.</param>
/// <param name="IngestTimeMicros">When the edge agent accepted it, µs since the epoch.</param>
public sealed record Reading(
    string Site,
    string Asset,
    string Sensor,
    long TimestampMicros,
    double Value,
    Quality Quality,
    string Unit,
    string Source,
    long IngestTimeMicros)
{
    /// <summary>The Kafka key: one sensor's readings share it, so they stay in one partition, in order.</summary>
    public string Key => SensorKey.Of(Site, Asset, Sensor);

    public DateTimeOffset Timestamp => UnixMicros.ToDateTimeOffset(TimestampMicros);
}
