namespace IotTelemetry.Lake;

/// <summary>
/// Where the lake lives: a flat space of keys (<c>lake/site=plant-a/date=2026-11-22/hour=09/f.parquet</c>, '/'-separated,
/// relative) over a local directory (<see cref="LocalLakeStore"/>) or a blob container. It offers only what object storage
/// offers, so every writer is correct on both: no rename, no directory, no append. A data file becomes visible in one step
/// and only when complete: <see cref="BeginUpload"/> gives a local file to write, <see cref="LakeUpload.Stage"/> puts it in
/// the store invisibly (a block blob's uncommitted blocks; a hidden temporary file) and returns a <see cref="PendingFile"/>
/// that can be recorded in an intent, and <see cref="Commit"/> makes it visible (one PutBlockList; one rename), idempotently,
/// so recovery re-commits whatever an intent names.
/// </summary>
public interface ILakeStore
{
    /// <summary>The store's root for messages: a directory or a URL, never with a credential in it.</summary>
    string Location { get; }

    /// <summary>Where <paramref name="key"/> is, for logs (a path or a URL without credentials).</summary>
    string Describe(string key);

    /// <summary>
    /// Every committed object under <paramref name="prefix"/> (a key "directory", without a trailing '/'; "" for all),
    /// at any depth, ordered by key (ordinal). Staged, uncommitted files are not listed.
    /// </summary>
    IEnumerable<LakeEntry> List(string prefix);

    /// <summary>True when a committed object has this key.</summary>
    bool Exists(string key);

    /// <summary>A readable, seekable stream over the object; <see cref="FileNotFoundException"/> when there is none.</summary>
    Stream OpenRead(string key);

    /// <summary>
    /// The object as a local file for readers that want a path (ParquetSharp, DuckDB): the file itself on a local store,
    /// a downloaded temporary copy otherwise (deleted on dispose). <see cref="FileNotFoundException"/> when there is none.
    /// </summary>
    LakeLocalFile Fetch(string key);

    /// <summary>A small object (a JSON document) read whole; null when there is none.</summary>
    byte[]? ReadAllBytes(string key);

    /// <summary>Replaces a small object in one step (readers see the old or the new content) and durably.</summary>
    void WriteAllBytes(string key, ReadOnlySpan<byte> content);

    /// <summary>Starts an exactly-once upload of <paramref name="key"/>: write <see cref="LakeUpload.LocalPath"/>, then stage it.</summary>
    LakeUpload BeginUpload(string key);

    /// <summary>Makes a staged file visible under its key. Idempotent: committing again what is already committed changes nothing.</summary>
    CommitOutcome Commit(PendingFile file);

    /// <summary>Removes an object (and, where the store can, a staged version of it); no error when there is none.</summary>
    void Delete(string key);
}
