using ParquetSharp;
using ParquetSharp.Schema;

namespace IotTelemetry.Lake;

/// <summary>
/// The lake's Parquet files through ParquetSharp: the schema (<c>time</c> and <c>ingest_time</c> as INT64
/// TIMESTAMP(MICROS, UTC), names as BYTE_ARRAY STRING, all REQUIRED), dictionary encoding on the low-cardinality
/// columns only, statistics on every column, key/value metadata, and row groups cut at a target size.
/// <c>site</c>, <c>date</c> and <c>hour</c> are not columns: they are the Hive partition directories that readers add back.
/// </summary>
public static class LakeParquet
{
    /// <summary>The columns, in file order.</summary>
    public static readonly IReadOnlyList<string> ColumnNames =
        ["time", "asset", "sensor", "value", "quality", "unit", "source", "ingest_time", "kafka_partition", "kafka_offset"];

    /// <summary>Columns with many distinct values: a dictionary would only grow until Arrow falls back to PLAIN.</summary>
    public static readonly IReadOnlyList<string> PlainColumns = ["time", "value", "ingest_time", "kafka_offset"];

    /// <summary>snappy, gzip, zstd or none (also <c>uncompressed</c>), case-insensitive; null for anything else.</summary>
    public static Compression? ParseCompression(string name) => name.ToLowerInvariant() switch
    {
        "snappy" => Compression.Snappy,
        "gzip" => Compression.Gzip,
        "zstd" => Compression.Zstd,
        "none" or "uncompressed" => Compression.Uncompressed,
        _ => null,
    };

    internal static GroupNode NewSchema()
    {
        Node Timestamp(string name) => new PrimitiveNode(name, Repetition.Required, LogicalType.Timestamp(true, TimeUnit.Micros), PhysicalType.Int64);
        Node Text(string name) => new PrimitiveNode(name, Repetition.Required, LogicalType.String(), PhysicalType.ByteArray);
        return new GroupNode("schema", Repetition.Required,
        [
            Timestamp("time"), Text("asset"), Text("sensor"),
            new PrimitiveNode("value", Repetition.Required, LogicalType.None(), PhysicalType.Double),
            Text("quality"), Text("unit"), Text("source"), Timestamp("ingest_time"),
            new PrimitiveNode("kafka_partition", Repetition.Required, LogicalType.None(), PhysicalType.Int32),
            new PrimitiveNode("kafka_offset", Repetition.Required, LogicalType.None(), PhysicalType.Int64),
        ]);
    }

    internal static WriterProperties NewProperties(Compression compression)
    {
        using var builder = new WriterPropertiesBuilder();
        builder.Compression(compression).EnableStatistics().EnableDictionary().CreatedBy("IotTelemetry lake (ParquetSharp)");
        foreach (var column in PlainColumns) builder.DisableDictionary(column);
        return builder.Build();
    }

    /// <summary>How many rows of <paramref name="rows"/> make a row group of about <paramref name="targetBytes"/> uncompressed.</summary>
    public static int RowsPerGroup(LakeRows rows, long targetBytes)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return 1;
        var perRow = Math.Max(1, rows.EstimatedBytes / rows.Count);
        return (int)Math.Clamp(targetBytes / perRow, 1, int.MaxValue);
    }

    /// <summary>
    /// Writes <paramref name="rows"/> to a new file at <paramref name="path"/> in row groups of about
    /// <paramref name="rowGroupTargetBytes"/> (uncompressed), with <paramref name="metadata"/> in the footer, and fsyncs it.
    /// </summary>
    public static void Write(string path, LakeRows rows, Compression compression, long rowGroupTargetBytes, IReadOnlyDictionary<string, string> metadata)
    {
        using var writer = new LakeFileWriter(path, compression, rowGroupTargetBytes, metadata);
        writer.Write(rows);
        writer.Complete();
    }

    /// <summary>The rows and key/value metadata of a lake file; fails on a file that does not have the lake schema.</summary>
    public static (LakeRows Rows, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        using var reader = new LakeFileReader(path);
        var rows = new LakeRows((int)Math.Clamp(reader.RowCount, 1, int.MaxValue));
        for (var g = 0; g < reader.RowGroupCount; g++) reader.ReadRowGroup(g, rows);
        return (rows, reader.Metadata);
    }

    /// <summary>The row count from the footer (the file is opened and its footer parsed, so a partial file fails here).</summary>
    public static long RowCount(string path)
    {
        using var reader = new LakeFileReader(path);
        return reader.RowCount;
    }

    /// <summary>The row count from the footer of a file in a store, reading the footer only.</summary>
    public static long RowCount(ILakeStore store, string key)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var reader = new LakeFileReader(store.OpenRead(key), store.Describe(key));
        return reader.RowCount;
    }

    internal static void CheckSchema(string path, SchemaDescriptor schema)
    {
        var names = Enumerable.Range(0, schema.NumColumns).Select(i => schema.Column(i).Name).ToList();
        if (!names.SequenceEqual(ColumnNames))
            throw new InvalidDataException($"Expected the lake's columns ({string.Join(", ", ColumnNames)}) in {path}, found ({string.Join(", ", names)})");
    }
}
