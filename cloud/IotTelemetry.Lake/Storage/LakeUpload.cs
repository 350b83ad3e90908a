namespace IotTelemetry.Lake;

/// <summary>
/// One file on its way into a store: the writer fills <see cref="LocalPath"/> (a complete, closed file), then
/// <see cref="Stage"/> puts it in the store where readers cannot see it yet. Disposing without staging discards it.
/// </summary>
public abstract class LakeUpload(string key, string localPath) : IDisposable
{
    /// <summary>The key the file will have once committed.</summary>
    public string Key { get; } = key;

    /// <summary>Where to write the file; it must not be opened again after <see cref="Stage"/>.</summary>
    public string LocalPath { get; } = localPath;

    /// <summary>Durably stages the complete file at <see cref="LocalPath"/>; record the result, then <see cref="ILakeStore.Commit"/> it.</summary>
    public abstract PendingFile Stage();

    public abstract void Dispose();
}
