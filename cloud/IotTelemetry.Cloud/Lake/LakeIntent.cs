using System.Text.Json;
using System.Text.Json.Serialization;

namespace IotTelemetry.Cloud.Lake;

/// <summary>
/// The sink's write-ahead record for one Kafka partition: the offsets of the last batch and the files that
/// hold it. Written (atomically) after the files are complete under temporary names and before they are
/// renamed into place; at start-up an intent is finished (renames redone) and the partition resumes after
/// its last offset. So a crash at any point leaves each reading in the lake exactly once.
/// </summary>
public sealed record LakeIntent(string Topic, int Partition, long FirstOffset, long LastOffset, List<string> Files)
{
    /// <summary>Where the intent of <paramref name="topic"/>[<paramref name="partition"/>] is kept under the lake root.</summary>
    public static string PathFor(string root, string topic, int partition) => Path.Combine(root, "_sink", $"{topic}-{partition}.json");

    /// <summary><c>dir/name.parquet</c> is written first as <c>dir/.name.parquet.tmp</c>: hidden from readers' globs.</summary>
    public static string TempPathFor(string finalPath) =>
        Path.Combine(Path.GetDirectoryName(finalPath)!, "." + Path.GetFileName(finalPath) + ".tmp");

    public static LakeIntent? Read(string root, string topic, int partition)
    {
        var path = PathFor(root, topic, partition);
        return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), LakeIntentJson.Default.LakeIntent) : null;
    }

    public void Write(string root)
    {
        var path = PathFor(root, Topic, Partition);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, this, LakeIntentJson.Default.LakeIntent);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Renames every file still under its temporary name into place (idempotent).</summary>
    public void Complete(string root)
    {
        foreach (var relative in Files)
        {
            var final = Path.Combine(root, relative);
            var temp = TempPathFor(final);
            if (File.Exists(temp)) File.Move(temp, final, overwrite: true);
        }
    }
}

[JsonSerializable(typeof(LakeIntent))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class LakeIntentJson : JsonSerializerContext;
