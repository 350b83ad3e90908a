using IotTelemetry.Common.Metrics;

namespace IotTelemetry.Cloud;

/// <summary>The cloud services' counters, exported at /metrics.</summary>
public sealed class CloudMetrics(Instruments registry)
{
    public Instruments Registry { get; } = registry;

    public TaggedCounter DetectorReadings { get; } = registry.Counter("iott_cloud_detector_readings_total", "Readings judged by the anomaly detector");
    public TaggedCounter DetectorReplayed { get; } = registry.Counter("iott_cloud_detector_replayed_total", "Readings skipped because an earlier run already judged them (up to the last alert event of their asset)");
    public TaggedCounter AlertsRaised { get; } = registry.Counter("iott_cloud_alerts_total", "Alert events published", ("kind", "raised"));
    public TaggedCounter AlertsCleared { get; } = registry.Counter("iott_cloud_alerts_total", "Alert events published", ("kind", "cleared"));
    public TaggedCounter AlertsUpdated { get; } = registry.Counter("iott_cloud_alerts_total", "Alert events published", ("kind", "updated"));
    public TaggedCounter AlertsResent { get; } = registry.Counter("iott_cloud_alerts_resent_total", "Journaled alert events found missing from the alerts topic at start (a crash came before their acknowledgement) and sent again");
    public TaggedCounter LoopFailures(string service) => Registry.Counter("iott_cloud_loop_failures_total", "Failures of a service's loop, each followed by a restart after a growing pause", ("service", service));
    public TaggedCounter LakeRows { get; } = registry.Counter("iott_cloud_lake_rows_total", "Rows written to Parquet files that are complete and in place");
    public TaggedCounter LakeFiles { get; } = registry.Counter("iott_cloud_lake_files_total", "Parquet files written and renamed into place");
    public TaggedCounter LakeBytes { get; } = registry.Counter("iott_cloud_lake_bytes_total", "Bytes of Parquet files written");
    public TaggedCounter LakeDeadLetters(string reason) => Registry.Counter("iott_cloud_lake_deadletters_total", "Records the Parquet sink sent to the dead-letter topic", ("reason", reason));
    public TaggedCounter LakeMissing { get; } = registry.Counter("iott_cloud_lake_missing_offsets_total",
        "Offsets of the telemetry topic the cloud cluster deleted (retention) before the Parquet sink read them: readings that are not in the lake");
    public TaggedCounter LakeTombstoned { get; } = registry.Counter("iott_cloud_lake_tombstoned_rows_total", "Late readings dropped because retention tombstoned their partition");
    public TaggedCounter RollupFiles { get; } = registry.Counter("iott_cloud_rollup_files_total", "Rollup files (one tier, one partition, one batch) written and renamed into place");
    public TaggedCounter RollupRows { get; } = registry.Counter("iott_cloud_rollup_rows_total", "Partial aggregate rows (a sensor and interval) in rollup files in place");
    public TaggedCounter RollupReadings { get; } = registry.Counter("iott_cloud_rollup_readings_total", "Readings folded into rollup files in place");
    public TaggedCounter RollupTombstoned { get; } = registry.Counter("iott_cloud_rollup_tombstoned_rows_total", "Late partial rows dropped because retention tombstoned their rollup partition");
    public TaggedCounter Undecodable { get; } = registry.Counter("iott_cloud_undecodable_total", "Records on the telemetry topic that are not readings (skipped, logged)");
}
