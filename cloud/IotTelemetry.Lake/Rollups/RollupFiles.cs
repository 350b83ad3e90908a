using ParquetSharp;

namespace IotTelemetry.Lake.Rollups;

/// <summary>
/// The one place rollup files are written and read: one <see cref="LakeDataset"/> per tier (<c>rollup-1m</c>,
/// <c>rollup-1h</c>) beside the raw readings in the same store, so it works on a local directory and on blob storage
/// alike. A file is staged (invisible to readers), recorded in the writer's intent, then committed, with the store's
/// exactly-once protocol (<see cref="ILakeStore"/>).
/// </summary>
public sealed class RollupFiles
{
    private readonly Dictionary<RollupTier, LakeDataset> _datasets;

    /// <param name="store">The store that holds the datasets.</param>
    /// <param name="parent">The key prefix they are under ("" for the store's top, beside a raw lake at <c>lake</c>).</param>
    public RollupFiles(ILakeStore store, string parent = "")
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        _datasets = RollupTier.All.ToDictionary(t => t, t => new LakeDataset(store, parent.Length == 0 ? t.Dataset : LakeKeys.Combine(parent, t.Dataset)));
    }

    /// <summary>The rollup datasets beside <paramref name="raw"/>: <c>data/lake</c> gives <c>data/rollup-1m</c> and <c>data/rollup-1h</c>.</summary>
    public static RollupFiles Beside(LakeDataset raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return new RollupFiles(raw.Store, LakeKeys.Parent(raw.Path));
    }

    public ILakeStore Store { get; }

    public LakeDataset Dataset(RollupTier tier) => _datasets[tier];

    public bool IsTombstoned(RollupTier tier, string partition) => Dataset(tier).IsTombstoned(partition);

    /// <summary>Writes <paramref name="rows"/> as the file <paramref name="name"/> of a partition and stages it (not visible until committed).</summary>
    public PendingFile Stage(RollupTier tier, string partition, string name, IReadOnlyList<RollupRow> rows, Compression compression,
        IReadOnlyDictionary<string, string> metadata)
    {
        using var upload = Store.BeginUpload(Dataset(tier).Key(partition, name));
        RollupParquet.Write(upload.LocalPath, rows, compression, metadata);
        return upload.Stage();
    }

    /// <summary>The partition directories (<c>site=S/date=D</c>) of <paramref name="site"/> in a tier, or of every site when null, by name.</summary>
    public IReadOnlyList<string> Partitions(RollupTier tier, string? site = null)
    {
        var dataset = Dataset(tier);
        if (site is null) return dataset.Partitions();
        var prefix = dataset.Key("site=" + HivePath.Escape(site));
        var partitions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in Store.List(prefix))
            if (LakeLayout.IsDataFile(entry.Name) && LakeKeys.Below(LakeKeys.Parent(entry.Key), dataset.Path) is { } partition) partitions.Add(partition);
        return [.. partitions];
    }

    /// <summary>The keys of the visible files of one partition, by name (the order readers merge them in).</summary>
    public IReadOnlyList<string> Files(RollupTier tier, string partition) => [.. Dataset(tier).DataFiles(partition).Select(e => e.Key)];

    /// <summary>Every visible file of a tier, by key.</summary>
    public IReadOnlyList<string> AllFiles(RollupTier tier) => [.. Dataset(tier).AllDataFiles().Select(e => e.Key)];

    /// <summary>A file's rows and metadata; <see cref="FileNotFoundException"/> when it is gone (compacted or dropped since it was listed).</summary>
    public (List<RollupRow> Rows, IReadOnlyDictionary<string, string> Metadata) Read(string key)
    {
        using var stream = Store.OpenRead(key);
        return RollupParquet.Read(stream, Store.Describe(key));
    }
}
