namespace IotTelemetry.Lake;

/// <summary>
/// One dataset of the lake: a Hive layout of Parquet files under <see cref="Path"/> in a store. The raw readings are
/// <c>lake</c> (<c>lake/site=S/date=D/hour=H/*.parquet</c>, the layout the sink has always written); summaries are other
/// datasets beside it (<c>rollup-1m</c>, ...), so that a reader's <c>lake/**/*.parquet</c> glob sees one schema only.
/// </summary>
public sealed class LakeDataset
{
    public LakeDataset(ILakeStore store, string path)
    {
        Store = store ?? throw new ArgumentNullException(nameof(store));
        Path = LakeKeys.Check(path);
    }

    /// <summary>A dataset in a local directory: the store is its parent directory, the dataset its name (<c>data/lake</c>: store <c>data</c>, dataset <c>lake</c>).</summary>
    public static LakeDataset Local(string directory)
    {
        var full = System.IO.Path.GetFullPath(directory).TrimEnd(System.IO.Path.DirectorySeparatorChar);
        var parent = System.IO.Path.GetDirectoryName(full) ?? throw new ArgumentException($"Expected a directory below the file system root for a lake, got '{full}'", nameof(directory));
        return new LakeDataset(new LocalLakeStore(parent), System.IO.Path.GetFileName(full));
    }

    public ILakeStore Store { get; }

    /// <summary>The dataset's key prefix in the store, e.g. <c>lake</c>.</summary>
    public string Path { get; }

    /// <summary>Where the dataset is, for messages (no credentials).</summary>
    public string Location => Store.Describe(Path);

    /// <summary>The key of <paramref name="relative"/> (e.g. <c>site=a/date=2026-11-22/hour=09/f.parquet</c>) in this dataset.</summary>
    public string Key(params ReadOnlySpan<string> relative)
    {
        var parts = new string[relative.Length + 1];
        parts[0] = Path;
        relative.CopyTo(parts.AsSpan(1));
        return LakeKeys.Combine(parts);
    }

    /// <summary>
    /// Where the lake tool keeps its intents and staging: beside the dataset, not under it (<c>.lake.work</c> for <c>lake</c>),
    /// because readers' recursive globs descend into every directory below the dataset, hidden or not.
    /// </summary>
    public string WorkPrefix => LakeKeys.Combine(LakeKeys.Parent(Path), "." + LakeKeys.Name(Path) + ".work");

    /// <summary>
    /// Every partition directory (relative, e.g. <c>site=a/date=2026-11-22/hour=09</c>) that holds a data file or a tombstone,
    /// in key order. A directory counts when each of its segments is <c>key=value</c>, so <c>_sink/</c> is not one.
    /// </summary>
    public IReadOnlyList<string> Partitions()
    {
        var partitions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in Store.List(Path))
        {
            var relative = LakeKeys.Below(entry.Key, Path);
            if (relative is null || (!LakeLayout.IsDataFile(entry.Name) && entry.Name != LakeLayout.TombstoneFileName)) continue;
            var directory = LakeKeys.Parent(relative);
            if (directory.Length > 0 && directory.Split('/').All(s => s.IndexOf('=', StringComparison.Ordinal) > 0)) partitions.Add(directory);
        }
        return [.. partitions];
    }

    /// <summary>The data files directly in <paramref name="partition"/>, by name.</summary>
    public IReadOnlyList<LakeEntry> DataFiles(string partition)
    {
        var prefix = Key(partition);
        return Store.List(prefix).Where(e => LakeKeys.Parent(e.Key) == prefix && LakeLayout.IsDataFile(e.Name)).ToList();
    }

    /// <summary>Every data file of the dataset, by key.</summary>
    public IReadOnlyList<LakeEntry> AllDataFiles() =>
        Store.List(Path).Where(e => LakeLayout.IsDataFile(e.Name) && LakeKeys.Below(e.Key, Path) is { } r && !r.StartsWith('_')).ToList();

    /// <summary>
    /// Copies every data file into <paramref name="directory"/> in the same layout (<c>site=.../date=.../hour=.../f.parquet</c>),
    /// for readers that need local files (DuckDB without its Azure extension); returns how many.
    /// </summary>
    public int CopyTo(string directory)
    {
        var files = AllDataFiles();
        foreach (var entry in files)
        {
            var target = System.IO.Path.Combine(directory, LakeKeys.Below(entry.Key, Path)!);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            using var source = Store.OpenRead(entry.Key);
            using var copy = File.Create(target);
            source.CopyTo(copy);
        }
        return files.Count;
    }

    public string TombstoneKey(string partition) => Key(partition, LakeLayout.TombstoneFileName);

    /// <summary>True when retention dropped <paramref name="partition"/>: nothing may be written there again.</summary>
    public bool IsTombstoned(string partition) => Store.Exists(TombstoneKey(partition));
}
