using IotTelemetry.Lake;

namespace IotTelemetry.LakeTool;

/// <summary>
/// Compaction on blob storage (no rename, no directory exchange).
/// <list type="number">
/// <item>The merged file is staged under its final key (uncommitted blocks: invisible to readers).</item>
/// <item>A <see cref="CompactionIntent"/> naming the merged file, its staged blocks and its sources is written in the work prefix.</item>
/// <item>The merged file is committed (one PutBlockList): from here until step 4 ends, a reader listing the partition sees
///   the sources' rows twice, once in the merged file and once in the sources.</item>
/// <item>The sources are deleted, then the intent.</item>
/// </list>
/// A crash after step 2 is finished by recovery (commit again, delete the sources), unless retention tombstoned the
/// partition meanwhile: then the merged file is deleted instead. A crash before step 2 leaves only uncommitted blocks,
/// which the blob service discards after a week.
/// </summary>
public sealed partial class LakeCompactor
{
    private CompactionResult CompactByCommit(string partition, string merged, List<string> sources)
    {
        var store = Dataset.Store;
        long rows;
        PendingFile staged;
        using (var upload = store.BeginUpload(Dataset.Key(partition, merged)))
        {
            rows = Merge(sources, upload);
            staged = upload.Stage();
        }
        var intent = new CompactionIntent(partition, merged, sources.Select(LakeKeys.Name).ToList(), staged);
        intent.Write(Dataset);
        StepDone?.Invoke(partition, Step.AfterIntent);
        store.Commit(staged);
        StepDone?.Invoke(partition, Step.AfterExchange);
        FinishCommit(intent);
        return new(partition, merged, sources.Count, rows, null);
    }

    private void RecoverCommit(string key, CompactionIntent intent)
    {
        if (Dataset.IsTombstoned(intent.Partition)) Dataset.Store.Delete(intent.Staged!.Key); // dropped meanwhile: do not bring rows back
        else
        {
            Dataset.Store.Commit(intent.Staged!);
            FinishCommit(intent);
        }
        Dataset.Store.Delete(key);
    }

    private void FinishCommit(CompactionIntent intent)
    {
        foreach (var source in intent.Sources)
            if (source != intent.Merged) Dataset.Store.Delete(Dataset.Key(intent.Partition, source));
        Dataset.Store.Delete(CompactionIntent.KeyFor(Dataset, intent.Partition));
    }
}
