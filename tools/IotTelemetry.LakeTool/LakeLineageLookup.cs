using IotTelemetry.Lake.Catalog;

namespace IotTelemetry.LakeTool;

/// <summary><c>iott-lake lineage</c>: finds the file or partition named on the command line and reads its files' footers.</summary>
public static class LakeLineageLookup
{
    /// <summary>
    /// <paramref name="target"/> is a <c>.parquet</c> file or a partition directory, as a path (absolute, or relative to the
    /// working directory) inside the lake, or relative to the lake root (<c>site=plant-a/date=2026-11-22/hour=09</c>).
    /// </summary>
    public static List<FileFooter> Footers(LakeStorage storage, string target)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(target);
        var relative = Relative(storage, target);
        if (relative.EndsWith(".parquet", StringComparison.Ordinal))
        {
            if (!storage.FileExists(relative)) throw new ArgumentException($"Expected a Parquet file of the lake, '{relative}' is not under {storage.Root}");
            return [FileFooter.Read(storage, relative)];
        }
        if (!storage.DirectoryExists(relative) || relative.Length == 0)
            throw new ArgumentException($"Expected a file or partition directory of the lake (e.g. site=plant-a/date=2026-11-22/hour=09), '{target}' is neither under {storage.Root}");
        var files = storage.Files(relative, ".parquet").ToList();
        if (files.Count == 0) throw new ArgumentException($"Expected Parquet files in the partition '{relative}', found none (a dropped partition keeps only its _TOMBSTONE.json)");
        return [.. files.Select(f => FileFooter.Read(storage, LakeStorage.Join(relative, f)))];
    }

    private static string Relative(LakeStorage storage, string target)
    {
        var full = Path.GetFullPath(target);
        if ((File.Exists(full) || Directory.Exists(full)) && (full + Path.DirectorySeparatorChar).StartsWith(storage.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            var relative = Path.GetRelativePath(storage.Root, full).Replace(Path.DirectorySeparatorChar, '/');
            return relative == "." ? "" : relative;
        }
        return target.Replace('\\', '/').Trim('/');
    }
}
