namespace IotTelemetry.Lake;

/// <summary>An object of a store as a local file (<see cref="ILakeStore.Fetch"/>); a temporary copy is deleted on dispose.</summary>
public sealed class LakeLocalFile(string path, bool temporary) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose()
    {
        if (!temporary) return;
        try { File.Delete(Path); } catch (IOException) { } // a temporary copy: the OS temp cleaner gets what is left
    }
}
