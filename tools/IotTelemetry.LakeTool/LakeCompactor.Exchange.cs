using IotTelemetry.Lake;

namespace IotTelemetry.LakeTool;

/// <summary>
/// Compaction on a local directory, atomic for readers.
/// <list type="number">
/// <item>The merged file is written and fsynced in a staging directory in the work prefix beside the dataset (outside every reader's glob).</item>
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
public sealed partial class LakeCompactor
{
    private string StagingFor(string partition) => LakeKeys.Combine(Dataset.WorkPrefix, LakeLayout.Id(partition) + ".compaction");

    private CompactionResult CompactByExchange(LocalLakeStore local, string partition, string merged, List<string> sources)
    {
        var staging = StagingFor(partition);
        var stagingPath = local.PathOf(staging);
        if (Directory.Exists(stagingPath)) Directory.Delete(stagingPath, recursive: true);
        Directory.CreateDirectory(stagingPath);
        long rows;
        using (var upload = local.BeginUpload(LakeKeys.Combine(staging, merged)))
        {
            rows = Merge(sources, upload);
            local.Commit(upload.Stage()); // visible in the staging directory only
        }

        var intent = new CompactionIntent(partition, merged, sources.Select(LakeKeys.Name).ToList());
        intent.Write(Dataset);
        StepDone?.Invoke(partition, Step.AfterIntent);
        local.ExchangeDirectories(staging, Dataset.Key(partition));
        StepDone?.Invoke(partition, Step.AfterExchange);
        FinishExchange(local, intent);
        return new(partition, merged, sources.Count, rows, null);
    }

    private void RecoverExchange(string key, CompactionIntent intent)
    {
        var local = Dataset.Store as LocalLakeStore
            ?? throw new InvalidDataException($"Expected a local directory for the exchange compaction recorded in {Dataset.Store.Describe(key)}, the lake is in {Dataset.Store.Location}");
        if (local.Exists(Dataset.Key(intent.Partition, intent.Merged))) FinishExchange(local, intent); // exchanged: roll forward
        else
        {
            var staging = local.PathOf(StagingFor(intent.Partition));
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true); // not exchanged: roll back
            local.Delete(key);
        }
    }

    /// <summary>After the exchange: carries over what the sink wrote meanwhile, deletes the old files and the intent.</summary>
    private void FinishExchange(LocalLakeStore local, CompactionIntent intent)
    {
        var directory = local.PathOf(Dataset.Key(intent.Partition));
        var staging = local.PathOf(StagingFor(intent.Partition));
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
        local.Delete(CompactionIntent.KeyFor(Dataset, intent.Partition));
    }
}
