namespace IotTelemetry.Lake;

/// <summary>One committed object of a store, as a listing returns it.</summary>
public sealed record LakeEntry(string Key, long Length, DateTimeOffset LastModifiedUtc)
{
    /// <summary>The last segment of the key: the file name.</summary>
    public string Name => LakeKeys.Name(Key);
}
