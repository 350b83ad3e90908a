namespace IotTelemetry.Edge.Vendors;

/// <summary>A record for the vendor topic: Kafka key (pseudonymous site/asset/sensor), JSON value, event time.</summary>
public sealed record CuratedRecord(byte[] Key, byte[] Value, long TimestampMicros);
