using IotTelemetry.Lake;
using IotTelemetry.Lake.Lineage;
using IotTelemetry.Lake.Rollups;
using ParquetSharp;

namespace IotTelemetry.LakeTool;

/// <summary>
/// Compaction of a rollup tier: the partials of a closed day (<c>rollup-1m</c>) or month (<c>rollup-1h</c>) merged into
/// one row per sensor and interval, in one file, with the lake compactor's protocols (a directory exchange on a local
/// directory). Readers' merge gives the same figures before and after; late readings that come later are new partials again.
/// </summary>
public static class RollupCompaction
{
    public static LakeCompactor For(RollupFiles files, RollupTier tier, Compression compression = Compression.Snappy)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(tier);
        return new LakeCompactor(files.Dataset(tier), compression)
        {
            PeriodEnd = p => tier.PeriodOf(p).End,
            MergeFiles = (sources, upload) => Merge(files, tier, compression, sources, upload),
        };
    }

    private static long Merge(RollupFiles files, RollupTier tier, Compression compression, List<string> sources, LakeUpload upload)
    {
        var rows = new List<RollupRow>();
        string? site = null;
        foreach (var source in sources)
        {
            var (content, metadata) = files.Read(source); // fails on a file without the rollup columns
            site ??= metadata.GetValueOrDefault(KafkaFooter.Site);
            rows.AddRange(content);
        }
        var merged = RollupMerge.Merge(rows, tier.BucketMicros);
        long before = rows.Sum(r => r.Aggregate.Count), after = merged.Sum(r => r.Aggregate.Count);
        if (before != after) throw new InvalidDataException($"Expected {before} readings in the merged rollup file, it would hold {after}");
        RollupParquet.Write(upload.LocalPath, merged, compression, new Dictionary<string, string>
        {
            ["iott.dataset"] = tier.Dataset,
            [IotTelemetry.Lake.Catalog.FileFooter.ProcessingKey] = tier.Processing,
            ["iott.rollup.interval_seconds"] = (tier.BucketMicros / 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["iott.compacted_from"] = string.Join(',', sources.Select(LakeKeys.Name)),
            [KafkaFooter.Site] = site ?? "",
        });
        return merged.Count;
    }
}
