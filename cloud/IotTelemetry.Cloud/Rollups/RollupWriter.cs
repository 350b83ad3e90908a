using System.Globalization;
using IotTelemetry.Cloud.Lake;
using IotTelemetry.Lake.Rollups;

namespace IotTelemetry.Cloud.Rollups;

/// <summary>
/// Turns a closed batch into rollup files with the raw sink's exactly-once protocol: one file per tier and partition
/// directory the batch touches, named from topic, Kafka partition and offsets (<c>telemetry-003-…-….parquet</c>, the
/// same range always the same name), written under temporary names, recorded in the writer's <see cref="LakeIntent"/>
/// under the rollup root, then renamed into place. The offset commit comes after.
/// </summary>
public sealed class RollupWriter(RollupFiles files, RollupOptions options)
{
    public RollupFiles Files { get; } = files;

    /// <summary>Writes the batch; partitions that retention tombstoned are skipped and reported to <paramref name="tombstoned"/>.</summary>
    public IReadOnlyList<(string Path, int Rows, long Bytes)> Write(RollupBatch batch, Action<string, int>? tombstoned = null)
    {
        var written = new List<(string, int, long)>();
        var name = LakeWriter.FileName(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset);
        foreach (var accumulator in batch.Tiers)
        {
            var tier = accumulator.Tier;
            foreach (var (site, partition, rows) in accumulator.ByPartition())
            {
                var relative = RollupFiles.RelativePath(tier, partition, name);
                if (Files.IsTombstoned(tier, partition))
                {
                    tombstoned?.Invoke($"{tier.Dataset}/{partition}", rows.Count);
                    continue;
                }
                var bytes = Files.WriteTemporary(relative, rows, options.Codec, new Dictionary<string, string>
                {
                    ["iott.dataset"] = tier.Dataset,
                    ["iott.processing"] = tier.Processing,
                    ["iott.rollup.interval_seconds"] = (tier.BucketMicros / 1_000_000).ToString(CultureInfo.InvariantCulture),
                    ["iott.kafka.topic"] = batch.Topic,
                    ["iott.kafka.partition"] = batch.Partition.ToString(CultureInfo.InvariantCulture),
                    ["iott.kafka.first_offset"] = batch.FirstOffset.ToString(CultureInfo.InvariantCulture),
                    ["iott.kafka.last_offset"] = batch.LastOffset.ToString(CultureInfo.InvariantCulture),
                    ["iott.site"] = site,
                });
                written.Add((relative, rows.Count, bytes));
            }
        }
        var intent = new LakeIntent(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset, [.. written.Select(w => w.Item1)]);
        intent.Write(Files.Root);
        intent.Complete(Files.Root);
        return written;
    }
}
