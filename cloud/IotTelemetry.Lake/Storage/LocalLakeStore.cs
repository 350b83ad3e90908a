using IotTelemetry.Lake.Internal;

namespace IotTelemetry.Lake;

/// <summary>
/// A store over a local directory: a key is a path below <see cref="Root"/>. A staged file is a hidden temporary
/// (<c>dir/.name.tmp</c>, which no <c>*.parquet</c> glob matches) and <see cref="Commit"/> renames it into place; small
/// objects are replaced by write, fsync and rename. Beyond what blob storage offers, a local directory can exchange two
/// directories atomically (<see cref="ExchangeDirectories"/>): compaction and retention use it so that readers never see a
/// partition's rows twice or not at all.
/// </summary>
public sealed class LocalLakeStore(string root) : ILakeStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Location => Root;

    public string Describe(string key) => PathOf(key);

    /// <summary>The file a key names.</summary>
    public string PathOf(string key) => Path.Combine(Root, LakeKeys.Check(key, allowEmpty: true));

    /// <summary><c>dir/name</c> is staged as <c>dir/.name.tmp</c>: hidden from readers' globs, on the same file system.</summary>
    public static string TempPathFor(string finalPath) =>
        Path.Combine(Path.GetDirectoryName(finalPath)!, "." + Path.GetFileName(finalPath) + ".tmp");

    private static bool IsTemporary(string name) => name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal);

    public IEnumerable<LakeEntry> List(string prefix)
    {
        var directory = PathOf(prefix);
        if (!Directory.Exists(directory)) return [];
        var entries = new List<LakeEntry>();
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            if (IsTemporary(file.Name)) continue;
            var key = Path.GetRelativePath(Root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            entries.Add(new LakeEntry(key, file.Length, file.LastWriteTimeUtc));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return entries;
    }

    public bool Exists(string key) => File.Exists(PathOf(key));

    public Stream OpenRead(string key) => new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);

    public LakeLocalFile Fetch(string key)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) throw new FileNotFoundException($"Expected the lake file {path}, it does not exist", path);
        return new LakeLocalFile(path, temporary: false);
    }

    public byte[]? ReadAllBytes(string key)
    {
        var path = PathOf(key);
        try { return File.ReadAllBytes(path); }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException) { return null; }
    }

    public void WriteAllBytes(string key, ReadOnlySpan<byte> content)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = TempPathFor(path);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public LakeUpload BeginUpload(string key)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new LocalUpload(key, TempPathFor(path));
    }

    public CommitOutcome Commit(PendingFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var path = PathOf(file.Key);
        var temp = TempPathFor(path);
        if (File.Exists(temp))
        {
            File.Move(temp, path, overwrite: true);
            return CommitOutcome.Committed;
        }
        return File.Exists(path) ? CommitOutcome.AlreadyCommitted : CommitOutcome.Gone;
    }

    /// <summary>Removes the file and any staged version of it.</summary>
    public void Delete(string key)
    {
        var path = PathOf(key);
        try
        {
            File.Delete(path);
            File.Delete(TempPathFor(path));
        }
        catch (DirectoryNotFoundException) { }
    }

    /// <summary>Swaps two directories (keys) in one step: a reader listing either sees the old contents or the new ones.</summary>
    public void ExchangeDirectories(string a, string b) => DirectoryExchange.Exchange(PathOf(a), PathOf(b));

    private sealed class LocalUpload(string key, string temp) : LakeUpload(key, temp)
    {
        private bool _staged;

        public override PendingFile Stage()
        {
            long length;
            using (var written = new FileStream(LocalPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
            {
                written.Flush(flushToDisk: true);
                length = written.Length;
            }
            _staged = true;
            return new PendingFile(Key, length, []);
        }

        public override void Dispose()
        {
            if (_staged) return; // the temporary is the staged file: Commit renames it
            try { File.Delete(LocalPath); } catch (IOException) { }
        }
    }
}
