using IotTelemetry.Common.Metrics;

namespace IotTelemetry.Cloud.Influx;

/// <summary>The InfluxDB sink's counters, exported at /metrics.</summary>
public sealed class InfluxMetrics(Instruments registry)
{
    public TaggedCounter Points { get; } = registry.Counter("iott_cloud_influx_points_total", "Points InfluxDB accepted");
    public TaggedCounter Batches { get; } = registry.Counter("iott_cloud_influx_batches_total", "Batches InfluxDB accepted");
    public TaggedCounter WriteFailures { get; } = registry.Counter("iott_cloud_influx_write_failures_total", "Write attempts that failed and were retried");
    public TaggedCounter Rejected { get; } = registry.Counter("iott_cloud_influx_rejected_total", "Points InfluxDB refused as malformed (skipped)");
    public TaggedCounter Skipped { get; } = registry.Counter("iott_cloud_influx_skipped_total", "Readings not written: undecodable, NaN or infinite value");
}
