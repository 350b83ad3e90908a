using System.Globalization;
using IotTelemetry.Lake;
using IotTelemetry.Lake.Lineage;

namespace IotTelemetry.Cloud.Lake;

/// <summary>
/// Turns a closed batch into Parquet files: one per event-time partition, named from topic, partition and offsets,
/// staged in the store (invisible to readers), recorded in the partition's <see cref="LakeIntent"/>, then committed.
/// A reader never sees a half-written file, on a local directory or on blob storage.
/// </summary>
public sealed class LakeWriter(LakeDataset dataset, LakeOptions options)
{
    public LakeDataset Dataset { get; } = dataset;

    /// <summary><c>telemetry-003-00000000000000001000-00000000000000001999.parquet</c></summary>
    public static string FileName(string topic, int partition, long first, long last) =>
        string.Create(CultureInfo.InvariantCulture, $"{topic}-{partition:D3}-{first:D20}-{last:D20}.parquet");

    /// <summary>
    /// Writes the batch; rows of an event-time partition that retention tombstoned (a <see cref="LakeLayout.TombstoneFileName"/>
    /// in its directory) are dropped and reported to <paramref name="tombstoned"/>, so a late reading never resurrects it.
    /// </summary>
    public IReadOnlyList<(string Location, int Rows, long Bytes)> Write(LakeBatch batch, Action<LakePartition, int>? tombstoned = null)
    {
        var written = new List<(string, int, long)>();
        var staged = new List<PendingFile>();
        var name = FileName(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset);
        foreach (var (partition, rows) in batch.Buffers.OrderBy(b => b.Key.Site, StringComparer.Ordinal).ThenBy(b => b.Key.HourStartMicros))
        {
            var directory = partition.RelativeDirectory;
            if (Dataset.IsTombstoned(directory))
            {
                tombstoned?.Invoke(partition, rows.Count);
                continue;
            }
            using var upload = Dataset.Store.BeginUpload(Dataset.Key(directory, name));
            var metadata = KafkaFooter.Of(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset, partition.Site);
            metadata[LakeLineage.MetadataKey] = batch.Lineage[partition].Build().ToJson();
            LakeParquet.Write(upload.LocalPath, rows, options.Codec, options.RowGroupTargetBytes, metadata);
            var file = upload.Stage();
            staged.Add(file);
            written.Add((Dataset.Store.Describe(file.Key), rows.Count, file.Length));
        }
        var intent = new LakeIntent(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset, staged);
        intent.Write(Dataset);
        intent.Complete(Dataset.Store);
        return written;
    }
}
