using System.Globalization;
using IotTelemetry.Cloud.Lake;
using IotTelemetry.Lake;
using IotTelemetry.Lake.Lineage;
using IotTelemetry.Lake.Rollups;

namespace IotTelemetry.Cloud.Rollups;

/// <summary>
/// Turns a closed batch into rollup files with the raw sink's exactly-once protocol: one file per tier and partition
/// directory the batch touches, named from topic, Kafka partition and offsets (<c>telemetry-003-…-….parquet</c>, the
/// same range always the same name), staged in the store, recorded in the writer's <see cref="LakeIntent"/> (in the
/// 1-minute dataset: <c>rollup-1m/_sink/telemetry-3.json</c>, covering both tiers' files), then committed.
/// The Kafka offset commit comes after.
/// </summary>
public sealed class RollupWriter(RollupFiles files, RollupOptions options)
{
    public RollupFiles Files { get; } = files;

    /// <summary>Where the intents are kept (one per Kafka partition, naming the files of both tiers).</summary>
    public LakeDataset IntentDataset => Files.Dataset(RollupTier.Minute);

    /// <summary>Writes the batch; partitions that retention tombstoned are skipped and reported to <paramref name="tombstoned"/>.</summary>
    public IReadOnlyList<(string Location, int Rows, long Bytes)> Write(RollupBatch batch, Action<string, int>? tombstoned = null)
    {
        var written = new List<(string, int, long)>();
        var staged = new List<PendingFile>();
        var name = LakeWriter.FileName(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset);
        foreach (var accumulator in batch.Tiers)
        {
            var tier = accumulator.Tier;
            foreach (var (site, partition, rows) in accumulator.ByPartition())
            {
                if (Files.IsTombstoned(tier, partition))
                {
                    tombstoned?.Invoke($"{tier.Dataset}/{partition}", rows.Count);
                    continue;
                }
                var metadata = KafkaFooter.Of(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset, site);
                metadata["iott.dataset"] = tier.Dataset;
                metadata[IotTelemetry.Lake.Catalog.FileFooter.ProcessingKey] = tier.Processing;
                metadata["iott.rollup.interval_seconds"] = (tier.BucketMicros / 1_000_000).ToString(CultureInfo.InvariantCulture);
                var file = Files.Stage(tier, partition, name, rows, options.Codec, metadata);
                staged.Add(file);
                written.Add((Files.Store.Describe(file.Key), rows.Count, file.Length));
            }
        }
        var intent = new LakeIntent(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset, staged);
        intent.Write(IntentDataset);
        intent.Complete(Files.Store);
        return written;
    }
}
