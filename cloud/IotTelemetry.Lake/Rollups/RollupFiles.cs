using ParquetSharp;

namespace IotTelemetry.Lake.Rollups;

/// <summary>
/// The one place rollup files are written and read: a rollup root holding one dataset directory per tier
/// (<c>rollup-1m/</c>, <c>rollup-1h/</c>). Paths handed out are relative to the root with '/' separators, as the
/// intents record them. A file is first written under a hidden temporary name (<c>.name.parquet.tmp</c>, outside
/// readers' <c>*.parquet</c> globs) and becomes visible only when the writer's intent renames it
/// (<c>LakeIntent.Complete</c>, the raw sink's protocol).
/// </summary>
public sealed class RollupFiles(string root)
{
    /// <summary>Left by retention in place of a dropped partition's files (the raw lake's name too).</summary>
    public const string TombstoneFileName = "_TOMBSTONE.json";

    public string Root { get; } = Path.GetFullPath(root);

    public string DatasetRoot(RollupTier tier) => Path.Combine(Root, tier.Dataset);

    /// <summary><c>rollup-1m/site=S/date=D/name</c>.</summary>
    public static string RelativePath(RollupTier tier, string partition, string name) => $"{tier.Dataset}/{partition}/{name}";

    public bool IsTombstoned(RollupTier tier, string partition) => File.Exists(Path.Combine(DatasetRoot(tier), partition, TombstoneFileName));

    /// <summary>Writes <paramref name="rows"/> under the temporary name of <paramref name="relative"/>; returns its size in bytes.</summary>
    public long WriteTemporary(string relative, IReadOnlyList<RollupRow> rows, Compression compression, IReadOnlyDictionary<string, string> metadata)
    {
        var temp = TempPathFor(Full(relative));
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        RollupParquet.Write(temp, rows, compression, metadata);
        return new FileInfo(temp).Length;
    }

    /// <summary>Every partition directory (<c>site=S/date=D</c>) of <paramref name="site"/> in a tier, or of all sites when null, by name.</summary>
    public IReadOnlyList<string> Partitions(RollupTier tier, string? site = null)
    {
        var dataset = DatasetRoot(tier);
        if (!Directory.Exists(dataset)) return [];
        var sites = site is null ? Directory.EnumerateDirectories(dataset, "site=*") : [Path.Combine(dataset, "site=" + HivePath.Escape(site))];
        return [.. sites.Where(Directory.Exists)
            .SelectMany(s => Directory.EnumerateDirectories(s, tier.PeriodKey + "=*"))
            .Select(d => Path.GetRelativePath(dataset, d).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The visible files of one partition, relative, by name (the order readers merge them in).</summary>
    public IReadOnlyList<string> Files(RollupTier tier, string partition)
    {
        var directory = Path.Combine(DatasetRoot(tier), partition);
        return Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, "*.parquet").Select(f => RelativePath(tier, partition, Path.GetFileName(f))).Order(StringComparer.Ordinal)]
            : [];
    }

    public (List<RollupRow> Rows, IReadOnlyDictionary<string, string> Metadata) Read(string relative) => RollupParquet.Read(Full(relative));

    private string Full(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string TempPathFor(string final) => Path.Combine(Path.GetDirectoryName(final)!, "." + Path.GetFileName(final) + ".tmp");
}
