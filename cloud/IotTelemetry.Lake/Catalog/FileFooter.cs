using IotTelemetry.Lake.Lineage;
using ParquetSharp;
using ParquetSharp.IO;

namespace IotTelemetry.Lake.Catalog;

/// <summary>
/// What a lake file's footer says (<see cref="Path"/> is its key in the store), read without its data: schema, rows, size, the event-time range (the time column's
/// min/max statistics over its row groups) and its lineage. A file written before lineage was recorded gets what can be
/// recovered: the <c>iott.kafka.*</c> range, or the source files a compaction names.
/// </summary>
public sealed record FileFooter(string Path, long Rows, long Bytes, int RowGroups, long? MinTimeMicros, long? MaxTimeMicros,
    List<ColumnInfo> Schema, LakeLineage Lineage, bool LineageRecorded, List<string> CompactedFrom)
{
    /// <summary>The time column: <c>time</c> when there is one, else the first TIMESTAMP column.</summary>
    public static int TimeColumn(IReadOnlyList<ColumnInfo> schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        for (var i = 0; i < schema.Count; i++) if (schema[i].Name == "time" && schema[i].IsTimestamp) return i;
        for (var i = 0; i < schema.Count; i++) if (schema[i].IsTimestamp) return i;
        return -1;
    }

    /// <summary>Reads the footer of <paramref name="entry"/> through a seekable stream: the footer and statistics only, not the data.</summary>
    public static FileFooter Read(ILakeStore store, LakeEntry entry)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(entry);
        using var input = new ManagedRandomAccessFile(store.OpenRead(entry.Key), leaveOpen: false);
        using var file = new ParquetFileReader(input);
        var meta = file.FileMetaData;
        var schema = Enumerable.Range(0, meta.Schema.NumColumns).Select(i => ColumnInfo.Of(meta.Schema.Column(i))).ToList();
        var (min, max) = TimeRange(file, TimeColumn(schema));
        var kv = meta.KeyValueMetadata;
        var compactedFrom = kv.TryGetValue("iott.compacted_from", out var names) ? names.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList() : [];
        var recorded = LakeLineage.FromMetadata(kv);
        // A rollup file names its step (iott.processing): its whole lineage is that step over the footer's Kafka range.
        var step = kv.GetValueOrDefault(ProcessingKey);
        var footer = new FileFooter(entry.Key, meta.NumRows, entry.Length, meta.NumRowGroups, min, max, schema,
            recorded ?? Recovered(kv, compactedFrom, meta.NumRows, step), recorded is not null || step is not null, compactedFrom);
        file.Close();
        return footer;
    }

    /// <summary>Min and max of the time column's statistics over all row groups; null when a row group has none.</summary>
    private static (long?, long?) TimeRange(ParquetFileReader file, int column)
    {
        if (column < 0) return (null, null);
        long min = long.MaxValue, max = long.MinValue;
        for (var g = 0; g < file.FileMetaData.NumRowGroups; g++)
        {
            using var group = file.RowGroup(g);
            if (group.MetaData.NumRows == 0) continue;
            using var chunk = group.MetaData.GetColumnChunkMetaData(column);
            if (chunk.Statistics is not Statistics<long> { HasMinMax: true } stats) return (null, null);
            min = Math.Min(min, stats.Min);
            max = Math.Max(max, stats.Max);
        }
        return min > max ? (null, null) : (min, max);
    }

    /// <summary>The lineage older files (and rollup files) allow: the writer's <c>iott.kafka.*</c> keys, or the offsets in the names of compacted files.</summary>
    /// <summary>The footer key of the step that made a file when it is not the sink (the rollup writer's <c>rollup-1m</c>, <c>rollup-1h</c>).</summary>
    public const string ProcessingKey = "iott.processing";

    private static LakeLineage Recovered(IReadOnlyDictionary<string, string> kv, List<string> compactedFrom, long rows, string? step)
    {
        var cloud = new List<KafkaRange>();
        if (KafkaFooter.Read(kv, rows) is { } footer) cloud.Add(footer);
        foreach (var name in compactedFrom)
            if (SinkFileName.TryParse(name, out var range)) cloud.Add(range);
        var merged = LakeLineage.Merge([new LakeLineage(cloud, [], [], [], [])]);
        var first = step ?? LakeLineage.SinkStep;
        return merged with { Processing = compactedFrom.Count > 0 ? [first, LakeLineage.CompactionStep] : [first] };
    }
}
