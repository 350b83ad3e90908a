using System.Text.Json;

namespace IotTelemetry.LakeTool;

/// <summary>What retention leaves in place of a dropped partition (<c>_TOMBSTONE.json</c>): what went, when and why.</summary>
public sealed record Tombstone(string Partition, DateTimeOffset DroppedAtUtc, string Reason, List<string> Files, long Rows)
{
    public static Tombstone Read(string path) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(path), LakeToolJson.Default.Tombstone)
        ?? throw new InvalidDataException($"Expected a tombstone in {path}, got null");

    public void Write(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        JsonSerializer.Serialize(stream, this, LakeToolJson.Default.Tombstone);
        stream.Flush(flushToDisk: true);
    }
}
