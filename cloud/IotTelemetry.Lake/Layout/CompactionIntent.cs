namespace IotTelemetry.Lake;

/// <summary>
/// The record of one compaction in progress, in the dataset's work prefix: the partition, the merged file's name, the
/// sources it replaces and, on blob storage, the staged merged file to commit. Written before the merged file becomes
/// visible, removed after the sources are gone; the compactor's recovery finishes or undoes whatever it finds.
/// </summary>
public sealed record CompactionIntent(string Partition, string Merged, List<string> Sources, PendingFile? Staged = null)
{
    public static string KeyFor(LakeDataset dataset, string partition)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return LakeKeys.Combine(dataset.WorkPrefix, LakeLayout.Id(partition) + ".compaction.json");
    }

    /// <summary>Every intent under the dataset's work prefix.</summary>
    public static IEnumerable<(string Key, CompactionIntent Intent)> All(LakeDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        foreach (var entry in dataset.Store.List(dataset.WorkPrefix).ToList())
        {
            if (!entry.Name.EndsWith(".compaction.json", StringComparison.Ordinal) || LakeKeys.Parent(entry.Key) != dataset.WorkPrefix) continue;
            if (dataset.Store.ReadJson(entry.Key, LakeJson.Default.CompactionIntent) is { } intent) yield return (entry.Key, intent);
        }
    }

    public void Write(LakeDataset dataset) => dataset.Store.WriteJson(KeyFor(dataset, Partition), this, LakeJson.Default.CompactionIntent);
}
