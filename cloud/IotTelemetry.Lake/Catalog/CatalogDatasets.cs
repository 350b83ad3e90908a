namespace IotTelemetry.Lake.Catalog;

/// <summary>
/// The datasets of a store the catalog and Flight serve: the raw readings (<c>Lake:Root</c>, <c>lake</c> by default) and
/// every other top-level prefix that holds Parquet files in <c>key=value</c> partitions (the summary tiers, <c>rollup-1m</c>,
/// <c>rollup-1h</c>), so a new tier needs no code. A dataset is named by its prefix.
/// </summary>
public static class CatalogDatasets
{
    /// <summary>Where the catalog entries are kept in the store (<c>_catalog/{dataset}.json</c>): no reader's glob of a dataset reaches them.</summary>
    public const string Prefix = "_catalog";

    /// <summary>The raw dataset first, then the others by name. One listing of the store.</summary>
    public static List<LakeDataset> Discover(ILakeStore store, string rawPath)
    {
        ArgumentNullException.ThrowIfNull(store);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in store.List(""))
        {
            var parts = entry.Key.Split('/');
            if (parts.Length < 3 || parts[0] == rawPath || parts[0].StartsWith('.') || parts[0].StartsWith('_')) continue;
            if (LakeLayout.IsDataFile(entry.Name) && parts[1].IndexOf('=', StringComparison.Ordinal) > 0) names.Add(parts[0]);
        }
        return [new LakeDataset(store, rawPath), .. names.Select(n => new LakeDataset(store, n))];
    }

    /// <summary>The dataset called <paramref name="name"/>, or an error naming the ones there are.</summary>
    public static LakeDataset Find(ILakeStore store, string rawPath, string name)
    {
        var all = Discover(store, rawPath);
        return all.FirstOrDefault(d => d.Path == name)
            ?? throw new ArgumentException($"Expected a dataset of the lake ({string.Join(", ", all.Select(d => d.Path))}), got '{name}'");
    }

    /// <summary>Where the entry of <paramref name="dataset"/> is kept.</summary>
    public static string KeyFor(string dataset) => LakeKeys.Combine(Prefix, dataset.Replace('/', '_') + ".json");
}
