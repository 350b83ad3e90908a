namespace IotTelemetry.Lake;

/// <summary>What retention leaves in place of a dropped partition (<see cref="LakeLayout.TombstoneFileName"/>): what went, when and why.</summary>
public sealed record Tombstone(string Partition, DateTimeOffset DroppedAtUtc, string Reason, List<string> Files, long Rows)
{
    public static Tombstone? Read(LakeDataset dataset, string partition)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Store.ReadJson(dataset.TombstoneKey(partition), LakeJson.Default.Tombstone);
    }

    /// <summary>Writes the tombstone into its partition: from then on the sink writes nothing there.</summary>
    public void Write(LakeDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Write(dataset.Store, dataset.TombstoneKey(Partition));
    }

    /// <summary>Writes the tombstone at any key (a staging directory that is then exchanged with the partition).</summary>
    public void Write(ILakeStore store, string key)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.WriteJson(key, this, LakeJson.Default.Tombstone);
    }
}
