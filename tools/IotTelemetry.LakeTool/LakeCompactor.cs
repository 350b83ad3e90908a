using System.Security.Cryptography;
using IotTelemetry.LakeTool.Internal;
using IotTelemetry.Lake;
using IotTelemetry.Lake.Lineage;
using ParquetSharp;
using Encoding = System.Text.Encoding;

namespace IotTelemetry.LakeTool;

/// <summary>
/// Merges the small files of a closed partition into one file, atomically for readers.
/// <list type="number">
/// <item>The merged file is written and fsynced in a staging directory beside the lake root (outside every reader's glob).</item>
/// <item>A <see cref="CompactionIntent"/> naming the merged file and its sources is written beside it.</item>
/// <item>The staging directory and the partition directory are exchanged in one <c>renameat2(RENAME_EXCHANGE)</c>:
///   a reader listing the partition sees either all the small files or the merged one, never both, never neither.</item>
/// <item>Anything in the old directory that is not a source (a file the sink wrote meanwhile) is moved across,
///   then the old directory and the intent are deleted.</item>
/// </list>
/// A crash before the exchange leaves the lake untouched (recovery deletes the staging directory); a crash after it
/// leaves the lake compacted (recovery finishes the clean-up). The remaining window: a reader that listed the
/// directory before the exchange and opens a small file after it gets "file not found" and must retry; it never
/// reads a duplicate or misses a row silently.
/// </summary>
public sealed class LakeCompactor(string root, Compression compression = Compression.Snappy, long rowGroupTargetBytes = 64L * 1024 * 1024)
{
    /// <summary>Fault injection for tests: stop as if killed right after this step.</summary>
    public enum Step { None, AfterIntent, AfterExchange }

    public Step CrashAfter { get; init; } = Step.None;

    public string Root { get; } = Path.GetFullPath(root);

    private string Work => LakeLayout.WorkDirectory(Root);

    /// <summary>Finishes or undoes every compaction a crash interrupted; returns how many it found.</summary>
    public int Recover()
    {
        if (!Directory.Exists(Work)) return 0;
        var found = 0;
        foreach (var path in Directory.EnumerateFiles(Work, "*.compaction.json"))
        {
            var intent = CompactionIntent.Read(path);
            var staging = StagingFor(intent.Partition);
            if (File.Exists(Path.Combine(Root, intent.Partition, intent.Merged))) Finish(intent, staging, path); // exchanged: roll forward
            else
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true); // not exchanged: roll back
                File.Delete(path);
            }
            found++;
        }
        return found;
    }

    /// <summary>Compacts <paramref name="partition"/> (<c>site=.../date=.../hour=..</c>) if its hour ended at least <paramref name="olderThan"/> before <paramref name="now"/>.</summary>
    public CompactionResult Compact(string partition, TimeSpan olderThan, DateTimeOffset now)
    {
        partition = partition.Trim('/');
        var hourEnd = LakeLayout.HourStart(partition).AddHours(1);
        Recover();
        if (hourEnd + olderThan > now)
            return new(partition, null, 0, 0, $"partition is not closed: its hour ends {hourEnd:u}, compaction waits until {hourEnd + olderThan:u}");
        var directory = Path.Combine(Root, partition);
        if (File.Exists(Path.Combine(directory, LakeLayout.TombstoneFileName))) return new(partition, null, 0, 0, "partition was dropped by retention");
        var sources = LakeLayout.DataFiles(directory);
        if (sources.Count < 2) return new(partition, null, sources.Count, 0, $"{sources.Count} file(s): nothing to merge");

        var names = sources.Select(Path.GetFileName).ToList();
        var merged = "compacted-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', names))))[..16] + ".parquet";
        var staging = StagingFor(partition);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        var rows = Merge(sources, Path.Combine(staging, merged));

        var intentPath = CompactionIntent.PathFor(Work, partition);
        var intent = new CompactionIntent(partition, merged, names!);
        intent.Write(intentPath);
        if (CrashAfter == Step.AfterIntent) return new(partition, null, sources.Count, rows, "stopped after the intent (test)");
        DirectoryExchange.Exchange(staging, directory);
        if (CrashAfter == Step.AfterExchange) return new(partition, merged, sources.Count, rows, "stopped after the exchange (test)");
        Finish(intent, staging, intentPath);
        return new(partition, merged, sources.Count, rows, null);
    }

    private string StagingFor(string partition) => Path.Combine(Work, LakeLayout.Id(partition) + ".compaction");

    /// <summary>Streams the sources' row groups into the merged file, a row group at a time (a partition may not fit in memory).</summary>
    private long Merge(List<string> sources, string target)
    {
        var temp = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + ".tmp");
        string? site;
        long expected = 0;
        using (var first = new LakeFileReader(sources[0])) site = first.Metadata.GetValueOrDefault("iott.site");
        var metadata = new Dictionary<string, string>
        {
            ["iott.compacted_from"] = string.Join(',', sources.Select(Path.GetFileName)),
            ["iott.site"] = site ?? "",
        };
        if (MergedLineage(sources) is { } lineage) metadata[LakeLineage.MetadataKey] = lineage.ToJson();
        using (var writer = new LakeFileWriter(temp, compression, rowGroupTargetBytes, metadata))
        {
            var buffer = new LakeRows();
            foreach (var source in sources)
            {
                using var reader = new LakeFileReader(source); // fails on a file without the lake's columns
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
        var written = LakeParquet.RowCount(temp);
        if (written != expected) throw new InvalidDataException($"Expected {expected} rows in the merged file, it has {written}");
        File.Move(temp, target);
        return written;
    }

    /// <summary>The sources' lineage as one (footers only), or null when none of them recorded any.</summary>
    private static LakeLineage? MergedLineage(List<string> sources)
    {
        var parts = new List<LakeLineage>();
        foreach (var source in sources)
        {
            using var reader = new LakeFileReader(source);
            if (LakeLineage.FromMetadata(reader.Metadata) is { } lineage) parts.Add(lineage);
        }
        return parts.Count == 0 ? null : LakeLineage.Merge(parts).Then(LakeLineage.CompactionStep);
    }

    /// <summary>After the exchange: carries over what the sink wrote meanwhile, deletes the old files and the intent.</summary>
    private void Finish(CompactionIntent intent, string staging, string intentPath)
    {
        var directory = Path.Combine(Root, intent.Partition);
        if (Directory.Exists(staging))
        {
            var sources = intent.Sources.ToHashSet(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(staging))
            {
                var name = Path.GetFileName(file);
                if (sources.Contains(name) || name == intent.Merged) continue;
                var target = Path.Combine(directory, name);
                if (!File.Exists(target)) File.Move(file, target);
            }
            Directory.Delete(staging, recursive: true);
        }
        File.Delete(intentPath);
    }
}
