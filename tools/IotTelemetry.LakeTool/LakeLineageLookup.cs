using IotTelemetry.Lake;
using IotTelemetry.Lake.Catalog;

namespace IotTelemetry.LakeTool;

/// <summary><c>iott-lake lineage</c>: finds the file or partition named on the command line and reads its files' footers.</summary>
public static class LakeLineageLookup
{
    /// <summary>
    /// <paramref name="target"/> is a <c>.parquet</c> file or a partition directory: a path (absolute, or relative to the working
    /// directory) into the lake's store, or a path relative to the dataset (<c>site=plant-a/date=2026-11-22/hour=09</c>).
    /// </summary>
    public static List<FileFooter> Footers(LakeDataset raw, string target)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(target);
        var key = KeyOf(raw, target);
        var store = raw.Store;
        if (key.EndsWith(".parquet", StringComparison.Ordinal))
        {
            var entry = store.List(LakeKeys.Parent(key)).FirstOrDefault(e => e.Key == key)
                ?? throw new ArgumentException($"Expected a Parquet file of the lake, there is none at {store.Describe(key)}");
            return [FileFooter.Read(store, entry)];
        }
        var files = store.List(key).Where(e => LakeKeys.Parent(e.Key) == key && LakeLayout.IsDataFile(e.Name)).ToList();
        if (files.Count == 0)
            throw new ArgumentException($"Expected Parquet files in the partition {store.Describe(key)}, found none (e.g. site=plant-a/date=2026-11-22/hour=09; a dropped partition keeps only its {LakeLayout.TombstoneFileName})");
        return [.. files.Select(f => FileFooter.Read(store, f))];
    }

    private static string KeyOf(LakeDataset raw, string target)
    {
        if (raw.Store is LocalLakeStore local)
        {
            var full = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
            if ((File.Exists(full) || Directory.Exists(full)) && full.StartsWith(local.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                return Path.GetRelativePath(local.Root, full).Replace(Path.DirectorySeparatorChar, '/');
        }
        return raw.Key(target.Replace('\\', '/').Trim('/'));
    }
}
