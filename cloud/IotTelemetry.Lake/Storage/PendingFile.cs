namespace IotTelemetry.Lake;

/// <summary>
/// A file staged in a store but not yet visible: what an intent records so that recovery can commit it again.
/// <see cref="Blocks"/> are the block ids of a block blob, in order (empty on a local store, where the staged file is a
/// hidden temporary beside the final name).
/// </summary>
public sealed record PendingFile(string Key, long Length, List<string> Blocks);
