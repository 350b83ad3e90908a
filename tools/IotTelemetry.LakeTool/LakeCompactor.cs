using System.Security.Cryptography;
using IotTelemetry.Lake;
using IotTelemetry.Lake.Lineage;
using ParquetSharp;
using Encoding = System.Text.Encoding;

namespace IotTelemetry.LakeTool;

/// <summary>
/// Merges the small files of a closed partition into one file. Two protocols, by what the store can do:
/// <list type="bullet">
/// <item>A local directory (<see cref="LocalLakeStore"/>): the partition directory is exchanged in one step with a staging
///   directory holding the merged file, so readers see all the small files or the merged one, never both, never neither
///   (<c>LakeCompactor.Exchange.cs</c>).</item>
/// <item>Blob storage, which has no directories to exchange: the merged file is staged, an intent naming it and its sources is
///   written, the merged file is committed, then the sources are deleted (<c>LakeCompactor.Commit.cs</c>). Between the
///   commit and the last delete a reader listing the partition sees the sources' rows twice; every row carries its
///   <c>(kafka_partition, kafka_offset)</c>, which tells the copies apart.</item>
/// </list>
/// Either way a crash is finished or undone by <see cref="Recover"/>, which every compaction runs first.
/// </summary>
public sealed partial class LakeCompactor(LakeDataset dataset, Compression compression = Compression.Snappy, long rowGroupTargetBytes = 64L * 1024 * 1024)
{
    public LakeCompactor(string root, Compression compression = Compression.Snappy, long rowGroupTargetBytes = 64L * 1024 * 1024)
        : this(LakeDataset.Local(root), compression, rowGroupTargetBytes)
    {
    }

    /// <summary>The durable steps of a compaction: after either, a crash leaves work that <see cref="Recover"/> finishes.</summary>
    public enum Step { AfterIntent, AfterExchange }

    /// <summary>
    /// Called with the partition after each durable step. An exception from it stops the compaction right there, as a
    /// crash would (nothing is undone), which is how the tests interrupt one.
    /// </summary>
    public Action<string, Step>? StepDone { get; init; }

    /// <summary>
    /// Use the directory exchange where the store has one (the default); false runs the blob-storage protocol on a local
    /// directory too, so that protocol can be tested without a blob service.
    /// </summary>
    public bool UseDirectoryExchange { get; init; } = true;

    public LakeDataset Dataset { get; } = dataset;

    /// <summary>When a partition's period ends (the raw readings' hour by default; a rollup tier's day or month).</summary>
    public Func<string, DateTimeOffset> PeriodEnd { get; init; } = p => LakeLayout.HourStart(p).AddHours(1);

    /// <summary>Writes the merged file of the sources into the upload and returns its rows; null merges raw lake files row for row.</summary>
    public Func<List<string>, LakeUpload, long>? MergeFiles { get; init; }

    private LocalLakeStore? Exchanging => UseDirectoryExchange ? Dataset.Store as LocalLakeStore : null;

    /// <summary>Finishes or undoes every compaction a crash interrupted; returns how many it found.</summary>
    public int Recover()
    {
        var found = 0;
        foreach (var (key, intent) in CompactionIntent.All(Dataset).ToList())
        {
            if (intent.Staged is null) RecoverExchange(key, intent);
            else RecoverCommit(key, intent);
            found++;
        }
        return found;
    }

    /// <summary>Compacts <paramref name="partition"/> (<c>site=.../date=.../hour=..</c>) if its period ended at least <paramref name="olderThan"/> before <paramref name="now"/>.</summary>
    public CompactionResult Compact(string partition, TimeSpan olderThan, DateTimeOffset now)
    {
        partition = partition.Trim('/');
        var periodEnd = PeriodEnd(partition);
        Recover();
        if (periodEnd + olderThan > now)
            return new(partition, null, 0, 0, $"partition is not closed: its period ends {periodEnd:u}, compaction waits until {periodEnd + olderThan:u}");
        if (Dataset.IsTombstoned(partition)) return new(partition, null, 0, 0, "partition was dropped by retention");
        var sources = Dataset.DataFiles(partition).Select(e => e.Key).ToList();
        if (sources.Count < 2) return new(partition, null, sources.Count, 0, $"{sources.Count} file(s): nothing to merge");

        var names = sources.Select(LakeKeys.Name).ToList();
        var merged = "compacted-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', names))))[..16] + ".parquet";
        return Exchanging is { } local
            ? CompactByExchange(local, partition, merged, sources)
            : CompactByCommit(partition, merged, sources);
    }

    private long Merge(List<string> sources, LakeUpload upload) => MergeFiles is { } merge ? merge(sources, upload) : MergeRaw(sources, upload);

    /// <summary>Streams the sources' row groups into <paramref name="upload"/>'s file, a row group at a time (a partition may not fit in memory).</summary>
    private long MergeRaw(List<string> sources, LakeUpload upload)
    {
        var store = Dataset.Store;
        string? site;
        long expected = 0;
        using (var first = new LakeFileReader(store.OpenRead(sources[0]), store.Describe(sources[0]))) site = first.Metadata.GetValueOrDefault(KafkaFooter.Site);
        var metadata = new Dictionary<string, string>
        {
            ["iott.compacted_from"] = string.Join(',', sources.Select(LakeKeys.Name)),
            [KafkaFooter.Site] = site ?? "",
        };
        if (MergedLineage(store, sources) is { } lineage) metadata[LakeLineage.MetadataKey] = lineage.ToJson();
        using (var writer = new LakeFileWriter(upload.LocalPath, compression, rowGroupTargetBytes, metadata))
        {
            var buffer = new LakeRows();
            foreach (var source in sources)
            {
                using var local = store.Fetch(source);
                using var reader = new LakeFileReader(local.Path); // fails on a file without the lake's columns
                expected += reader.RowCount;
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    reader.ReadRowGroup(g, buffer);
                    if (buffer.EstimatedBytes < rowGroupTargetBytes) continue;
                    writer.Write(buffer);
                    buffer.Clear();
                }
            }
            writer.Write(buffer);
            writer.Complete();
            if (writer.RowCount != expected) throw new InvalidDataException($"Expected {expected} rows in the merged file, wrote {writer.RowCount}");
        }
        var written = LakeParquet.RowCount(upload.LocalPath);
        if (written != expected) throw new InvalidDataException($"Expected {expected} rows in the merged file, it has {written}");
        return written;
    }

    /// <summary>The sources' lineage as one (footers only), or null when none of them recorded any.</summary>
    private static LakeLineage? MergedLineage(ILakeStore store, List<string> sources)
    {
        var parts = new List<LakeLineage>();
        foreach (var source in sources)
        {
            using var reader = new LakeFileReader(store.OpenRead(source), store.Describe(source));
            if (LakeLineage.FromMetadata(reader.Metadata) is { } lineage) parts.Add(lineage);
        }
        return parts.Count == 0 ? null : LakeLineage.Merge(parts).Then(LakeLineage.CompactionStep);
    }
}
