using System.Globalization;

namespace IotTelemetry.Lake.Lineage;

/// <summary>
/// The footer keys every file of the sink and of the rollup writer carries: the Kafka topic partition and offset range it
/// holds and its site. Written and read here only, so the catalog's lineage of files written before per-row lineage was
/// recorded reads what the writers wrote.
/// </summary>
public static class KafkaFooter
{
    public const string Topic = "iott.kafka.topic";
    public const string Partition = "iott.kafka.partition";
    public const string FirstOffset = "iott.kafka.first_offset";
    public const string LastOffset = "iott.kafka.last_offset";
    public const string Site = "iott.site";

    /// <summary>The keys of a file holding offsets <paramref name="first"/>..<paramref name="last"/> of <paramref name="topic"/>/<paramref name="partition"/>; a writer adds its own.</summary>
    public static Dictionary<string, string> Of(string topic, int partition, long first, long last, string site) => new()
    {
        [Topic] = topic,
        [Partition] = partition.ToString(CultureInfo.InvariantCulture),
        [FirstOffset] = first.ToString(CultureInfo.InvariantCulture),
        [LastOffset] = last.ToString(CultureInfo.InvariantCulture),
        [Site] = site,
    };

    /// <summary>The range a footer names, with <paramref name="rows"/>; null when a key is missing or not a number.</summary>
    public static KafkaRange? Read(IReadOnlyDictionary<string, string> kv, long rows)
    {
        ArgumentNullException.ThrowIfNull(kv);
        return kv.TryGetValue(Topic, out var topic)
            && int.TryParse(kv.GetValueOrDefault(Partition), NumberStyles.None, CultureInfo.InvariantCulture, out var p)
            && long.TryParse(kv.GetValueOrDefault(FirstOffset), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && long.TryParse(kv.GetValueOrDefault(LastOffset), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            ? new KafkaRange(topic, p, first, last, rows)
            : null;
    }
}
