using System.Text.Json;
using System.Text.Json.Serialization;
using IotTelemetry.Lake.Lineage;

namespace IotTelemetry.Lake.Catalog;

/// <summary>
/// The catalog entry of one dataset, kept in the lake's store as <c>_catalog/{dataset}.json</c>: schema, partitioning, retention,
/// rows and event-time range per partition, and lineage (sources, sites, Kafka offsets at the edge and in the cloud,
/// processing), plus what the edges share of it with vendors. Times are ISO 8601 UTC.
/// </summary>
public sealed record DatasetCatalog(
    string Dataset,
    string Location,
    string Format,
    DateTimeOffset GeneratedAtUtc,
    List<ColumnInfo> Schema,
    List<string> Partitioning,
    RetentionInfo Retention,
    CatalogTotals Totals,
    List<PartitionEntry> Partitions,
    DatasetLineage Lineage,
    List<VendorShare> Shares)
{
    public string ToJson() => JsonSerializer.Serialize(this, CatalogJson.Default.DatasetCatalog);

    public static DatasetCatalog FromJson(string json) =>
        JsonSerializer.Deserialize(json, CatalogJson.Default.DatasetCatalog) ?? throw new InvalidDataException("Expected a dataset catalog, got null");
}

/// <summary>How long the dataset's partitions are kept (<c>iott-lake retention</c>), and the partitions it already dropped.</summary>
public sealed record RetentionInfo(int KeepDays, string Rule, int DroppedPartitions, long DroppedRows);

public sealed record CatalogTotals(int Partitions, long Files, long Rows, long Bytes, DateTimeOffset? MinTime, DateTimeOffset? MaxTime);

/// <summary>One partition: its directory, its keys' values, and what its files hold (a tombstoned partition: what was dropped, when, why).</summary>
public sealed record PartitionEntry(
    string Path,
    Dictionary<string, string> Values,
    int Files,
    long Rows,
    long Bytes,
    DateTimeOffset? MinTime,
    DateTimeOffset? MaxTime,
    TombstoneInfo? Tombstone);

public sealed record TombstoneInfo(DateTimeOffset? DroppedAtUtc, string Reason, long Rows);

/// <summary>The dataset's lineage: what its files' lineage adds up to, with each source taken apart and the sites it covers.</summary>
public sealed record DatasetLineage(
    List<string> Sites,
    List<SourceRef> Sources,
    List<KafkaRange> CloudTopics,
    List<EdgeRange> EdgeTopics,
    List<NamedCount> MappingRules,
    List<string> Processing,
    long FilesWithoutRecordedLineage);

[JsonSerializable(typeof(DatasetCatalog))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class CatalogJson : JsonSerializerContext;
