using System.Text.Json;
using System.Text.Json.Serialization;

namespace IotTelemetry.LakeTool;

/// <summary>
/// The record of one compaction in progress, in the work directory beside the lake: the partition, the merged
/// file's name and the sources it replaces. Written before the directory exchange, removed after the clean-up;
/// <see cref="LakeCompactor.Recover"/> finishes or undoes whatever it finds.
/// </summary>
public sealed record CompactionIntent(string Partition, string Merged, List<string> Sources)
{
    public static string PathFor(string workDirectory, string partition) => Path.Combine(workDirectory, LakeLayout.Id(partition) + ".compaction.json");

    public static CompactionIntent Read(string path) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(path), LakeToolJson.Default.CompactionIntent)
        ?? throw new InvalidDataException($"Expected a compaction intent in {path}, got null");

    public void Write(string path)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, this, LakeToolJson.Default.CompactionIntent);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}

[JsonSerializable(typeof(CompactionIntent))]
[JsonSerializable(typeof(Tombstone))]
[JsonSerializable(typeof(List<IotTelemetry.Lake.Catalog.FileFooter>))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class LakeToolJson : JsonSerializerContext;
