using IotTelemetry.Common.Configuration;
using IotTelemetry.Lake;
using ParquetSharp;

namespace IotTelemetry.Cloud.Rollups;

/// <summary>
/// Section <c>Rollups</c>: the rollup writer, its own consumer group on the telemetry topic, keeping per-sensor
/// 1-minute and 1-hour partial aggregates as Parquet in the datasets <c>rollup-1m</c> and <c>rollup-1h</c>, beside
/// the raw readings (<c>Lake:Root</c>) in the same directory or store.
/// </summary>
public sealed class RollupOptions
{
    public bool Enabled { get; set; } = true;

    public string GroupId { get; set; } = "iott-rollups";

    /// <summary>snappy, gzip, zstd or none.</summary>
    public string Compression { get; set; } = "snappy";

    /// <summary>A batch (one file per tier and partition it touches) closes after this many readings...</summary>
    public int MaxReadingsPerBatch { get; set; } = 1_000_000;

    /// <summary>...or when a reading's event time is this far past the batch's first reading (event time: a replay cuts the same files)...</summary>
    public TimeSpan MaxEventSpan { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>...or when nothing new arrived on its Kafka partition for this long (wall clock).</summary>
    public TimeSpan IdleFlush { get; set; } = TimeSpan.FromSeconds(30);

    public Compression Codec => LakeParquet.ParseCompression(Compression) ?? ParquetSharp.Compression.Snappy;

    public void Validate(ConfigErrors errors)
    {
        if (!Enabled) return;
        errors.RequireNotEmpty(GroupId, "Rollups:GroupId");
        errors.Require(LakeParquet.ParseCompression(Compression) is not null, "Rollups:Compression", "snappy, gzip, zstd or none", Compression);
        errors.RequireRange(MaxReadingsPerBatch, 1, 100_000_000, "Rollups:MaxReadingsPerBatch");
        errors.RequirePositive(MaxEventSpan, "Rollups:MaxEventSpan");
        errors.RequirePositive(IdleFlush, "Rollups:IdleFlush");
    }
}
