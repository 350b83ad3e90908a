namespace IotTelemetry.Lake.Catalog;

/// <summary>
/// Every file-system access of the catalog, lineage and Flight code, in one place: listing the lake, opening files for
/// reading, writing the catalog. Paths are relative to the root with '/' separators. A local directory today; the
/// one class to port when the lake moves behind a store (Azure Blob).
/// </summary>
public sealed class LakeStorage(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public bool DirectoryExists(string relative) => Directory.Exists(Full(relative));

    /// <summary>Names of the directories directly under <paramref name="relative"/>, in ordinal order.</summary>
    public IEnumerable<string> Directories(string relative)
    {
        var dir = Full(relative);
        return Directory.Exists(dir) ? Directory.EnumerateDirectories(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)! : [];
    }

    /// <summary>Names of the files directly under <paramref name="relative"/> ending in <paramref name="suffix"/>, in ordinal order.</summary>
    public IEnumerable<string> Files(string relative, string suffix)
    {
        var dir = Full(relative);
        return Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*" + suffix).Select(Path.GetFileName).Order(StringComparer.Ordinal)! : [];
    }

    public bool FileExists(string relative) => File.Exists(Full(relative));

    public long Length(string relative) => new FileInfo(Full(relative)).Length;

    /// <summary>A path ParquetSharp can open for <paramref name="relative"/>.</summary>
    public string OpenForParquet(string relative) => Full(relative);

    public string ReadText(string relative) => File.ReadAllText(Full(relative));

    /// <summary>Replaces <paramref name="relative"/> with <paramref name="bytes"/> whole: written to a temporary name, fsynced, renamed.</summary>
    public void WriteAtomically(string relative, ReadOnlySpan<byte> bytes)
    {
        var path = Full(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".tmp");
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary><paramref name="parts"/> joined with '/', empty parts left out.</summary>
    public static string Join(params string[] parts) => string.Join('/', parts.Where(p => p.Length > 0));

    private string Full(string relative) => relative.Length == 0 ? Root : Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
}
