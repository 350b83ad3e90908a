using System.Text.Json;
using System.Text.Json.Serialization;

namespace IotTelemetry.Lake.Lineage;

/// <summary>
/// Where the rows of a lake file (or of a partition, or a whole dataset, once merged) came from: the cloud Kafka offsets
/// the sink read, the edge offsets the mirror copied them from, the inputs (the <c>source</c> column: MQTT topics, OPC UA
/// endpoints and nodes) and the processing (the edge's mapping rules, then the sink or compaction). The sink writes it into
/// each file's key/value metadata as <see cref="MetadataKey"/>, so it travels with the file to whoever copies it.
/// </summary>
public sealed record LakeLineage(
    List<KafkaRange> Cloud,
    List<EdgeRange> Edge,
    List<NamedCount> Sources,
    List<NamedCount> Rules,
    List<string> Processing)
{
    /// <summary>The footer key holding this record as JSON.</summary>
    public const string MetadataKey = "iott.lineage";

    /// <summary>The step name of the cloud host's Parquet sink.</summary>
    public const string SinkStep = "lake-sink";

    /// <summary>The step name of <c>iott-lake compact</c>.</summary>
    public const string CompactionStep = "compaction";

    public static LakeLineage Empty => new([], [], [], [], []);

    public string ToJson() => JsonSerializer.Serialize(this, LineageJson.Default.LakeLineage);

    /// <summary>The lineage in a file's footer, or null when the file has none (written before lineage was recorded, or not by the sink).</summary>
    public static LakeLineage? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(MetadataKey, out var json)) return null;
        try
        {
            return JsonSerializer.Deserialize(json, LineageJson.Default.LakeLineage);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Expected lineage JSON under the footer key {MetadataKey}, got: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// One lineage for many files: ranges of the same topic and partition (and mirror) become the range covering them
    /// (with their row counts added up), counts of the same source or rule are added, processing steps are kept once in order.
    /// </summary>
    public static LakeLineage Merge(IEnumerable<LakeLineage> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var cloud = new Dictionary<(string, int), KafkaRange>();
        var edge = new Dictionary<(string, string, int), EdgeRange>();
        var sources = new Dictionary<string, long>(StringComparer.Ordinal);
        var rules = new Dictionary<string, long>(StringComparer.Ordinal);
        var processing = new List<string>();
        foreach (var part in parts)
        {
            foreach (var r in part.Cloud)
                cloud[(r.Topic, r.Partition)] = cloud.TryGetValue((r.Topic, r.Partition), out var c) ? c.Cover(r) : r;
            foreach (var r in part.Edge)
                edge[(r.Mirror, r.Topic, r.Partition)] = edge.TryGetValue((r.Mirror, r.Topic, r.Partition), out var e) ? e.Cover(r) : r;
            foreach (var s in part.Sources) sources[s.Name] = sources.GetValueOrDefault(s.Name) + s.Rows;
            foreach (var s in part.Rules) rules[s.Name] = rules.GetValueOrDefault(s.Name) + s.Rows;
            foreach (var step in part.Processing) if (!processing.Contains(step)) processing.Add(step);
        }
        return new(
            [.. cloud.Values.OrderBy(r => r.Topic, StringComparer.Ordinal).ThenBy(r => r.Partition)],
            [.. edge.Values.OrderBy(r => r.Mirror, StringComparer.Ordinal).ThenBy(r => r.Topic, StringComparer.Ordinal).ThenBy(r => r.Partition)],
            NamedCount.Sorted(sources), NamedCount.Sorted(rules), processing);
    }

    /// <summary>This lineage with <paramref name="step"/> appended to its processing (once).</summary>
    public LakeLineage Then(string step) => Processing.Contains(step) ? this : this with { Processing = [.. Processing, step] };
}

/// <summary>Offsets <see cref="FirstOffset"/>..<see cref="LastOffset"/> of a Kafka topic partition, of which <see cref="Rows"/> are in the file(s).</summary>
public sealed record KafkaRange(string Topic, int Partition, long FirstOffset, long LastOffset, long Rows)
{
    public KafkaRange Cover(KafkaRange other) =>
        this with { FirstOffset = Math.Min(FirstOffset, other.FirstOffset), LastOffset = Math.Max(LastOffset, other.LastOffset), Rows = Rows + other.Rows };
}

/// <summary>
/// Offsets of an edge topic partition that a mirror (<see cref="Mirror"/>, by default the plant's site id) copied to the cloud;
/// the mirror keeps partition numbers, so <see cref="Partition"/> is also the cloud partition.
/// </summary>
public sealed record EdgeRange(string Mirror, string Topic, int Partition, long FirstOffset, long LastOffset, long Rows)
{
    public EdgeRange Cover(EdgeRange other) =>
        this with { FirstOffset = Math.Min(FirstOffset, other.FirstOffset), LastOffset = Math.Max(LastOffset, other.LastOffset), Rows = Rows + other.Rows };
}

/// <summary>A name (a source, a rule) and how many rows have it.</summary>
public sealed record NamedCount(string Name, long Rows)
{
    public static List<NamedCount> Sorted(Dictionary<string, long> counts) =>
        [.. counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new NamedCount(kv.Key, kv.Value))];
}

[JsonSerializable(typeof(LakeLineage))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class LineageJson : JsonSerializerContext;
