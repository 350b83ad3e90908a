using System.Globalization;
using IotTelemetry.Lake;
using IotTelemetry.Lake.Lineage;

namespace IotTelemetry.Cloud.Lake;

/// <summary>
/// Turns a closed batch into Parquet files: one per event-time partition, named from topic, partition and
/// offsets, written under a temporary name, recorded in the partition's <see cref="LakeIntent"/>, then
/// renamed into place. A reader never sees a half-written file under its final name.
/// </summary>
public sealed class LakeWriter(string root, LakeOptions options)
{
    public string Root { get; } = root;

    /// <summary><c>telemetry-003-00000000000000001000-00000000000000001999.parquet</c></summary>
    public static string FileName(string topic, int partition, long first, long last) =>
        string.Create(CultureInfo.InvariantCulture, $"{topic}-{partition:D3}-{first:D20}-{last:D20}.parquet");

    /// <summary>
    /// Writes the batch; rows of an event-time partition that retention tombstoned (a <see cref="LakePartition.TombstoneFileName"/>
    /// in its directory) are dropped and reported to <paramref name="tombstoned"/>, so a late reading never resurrects it.
    /// </summary>
    public IReadOnlyList<(string Path, int Rows, long Bytes)> Write(LakeBatch batch, Action<LakePartition, int>? tombstoned = null)
    {
        var written = new List<(string, int, long)>();
        var relativeFiles = new List<string>();
        var name = FileName(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset);
        foreach (var (partition, rows) in batch.Buffers.OrderBy(b => b.Key.Site, StringComparer.Ordinal).ThenBy(b => b.Key.HourStartMicros))
        {
            var relative = Path.Combine(partition.RelativeDirectory, name);
            var final = Path.Combine(Root, relative);
            if (File.Exists(Path.Combine(Root, partition.RelativeDirectory, LakePartition.TombstoneFileName)))
            {
                tombstoned?.Invoke(partition, rows.Count);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            var temp = LakeIntent.TempPathFor(final);
            LakeParquet.Write(temp, rows, options.Codec, options.RowGroupTargetBytes, new Dictionary<string, string>
            {
                ["iott.kafka.topic"] = batch.Topic,
                ["iott.kafka.partition"] = batch.Partition.ToString(CultureInfo.InvariantCulture),
                ["iott.kafka.first_offset"] = batch.FirstOffset.ToString(CultureInfo.InvariantCulture),
                ["iott.kafka.last_offset"] = batch.LastOffset.ToString(CultureInfo.InvariantCulture),
                ["iott.site"] = partition.Site,
                [LakeLineage.MetadataKey] = batch.Lineage[partition].Build().ToJson(),
            });
            var bytes = new FileInfo(temp).Length;
            relativeFiles.Add(relative);
            written.Add((final, rows.Count, bytes));
        }
        var intent = new LakeIntent(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset, relativeFiles);
        intent.Write(Root);
        intent.Complete(Root);
        return written;
    }
}
