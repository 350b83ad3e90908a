using System.Collections.Concurrent;
using ParquetSharp;
using ParquetSharp.IO;
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

    /// <summary>Rows of a probe that measures a batch's Parquet size per row (<see cref="RowsPerGroup"/>), at most.</summary>
    public const int MaxProbeRows = 65_536;

    private static readonly Lazy<GroupNode> SharedSchema = new(NewSchema);
    private static readonly ConcurrentDictionary<Compression, WriterProperties> SharedProperties = new();

    /// <summary>
    /// The schema, built once: every file has the same one, and building it per file was a measurable part of a small
    /// file's cost (make bench). The native writer keeps its own reference, so it is never disposed.
    /// </summary>
    internal static GroupNode Schema => SharedSchema.Value;

    /// <summary>The writer properties for <paramref name="compression"/>, built once (immutable, shared by every writer).</summary>
    internal static WriterProperties Properties(Compression compression) => SharedProperties.GetOrAdd(compression, NewProperties);

    private static GroupNode NewSchema()
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

    private static WriterProperties NewProperties(Compression compression)
    {
        using var builder = new WriterPropertiesBuilder();
        builder.Compression(compression).EnableStatistics().EnableDictionary().CreatedBy("IotTelemetry lake (ParquetSharp)");
        foreach (var column in PlainColumns) builder.DisableDictionary(column);
        return builder.Build();
    }

    /// <summary>
    /// How many rows of <paramref name="rows"/> make a row group of about <paramref name="targetBytes"/> uncompressed, as Parquet
    /// counts it (the footer's <c>total_byte_size</c>, DuckDB's <c>row_group_bytes</c>). Rows are smaller in Parquet than in
    /// memory (dictionaries, no object headers), so a batch whose in-memory estimate is within half the target is one group;
    /// a bigger one is measured: its first rows (up to a target's worth, at most <see cref="MaxProbeRows"/>) are written
    /// uncompressed to memory as one row group, and its size per row sets the count.
    /// </summary>
    public static int RowsPerGroup(LakeRows rows, long targetBytes)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return 1;
        if (rows.EstimatedBytes <= targetBytes / 2) return rows.Count;
        var estimatedPerRow = Math.Max(1, rows.EstimatedBytes / rows.Count);
        var probe = (int)Math.Clamp(targetBytes / estimatedPerRow, 1, Math.Min(rows.Count, MaxProbeRows));
        var perRow = Math.Max(1.0, GroupBytes(rows, probe) / (double)probe);
        return (int)Math.Clamp(targetBytes / perRow, 1, int.MaxValue);
    }

    /// <summary>The uncompressed size Parquet records for the first <paramref name="n"/> rows written as one row group.</summary>
    private static long GroupBytes(LakeRows rows, int n)
    {
        using var buffer = new BufferOutputStream();
        using (var file = new ParquetFileWriter(buffer, Schema, Properties(Compression.Uncompressed)))
        {
            LakeFileWriter.WriteGroup(file, rows, 0, n);
            file.Close();
        }
        using var written = buffer.Finish();
        using var input = new BufferReader(written);
        using var reader = new ParquetFileReader(input);
        using var group = reader.RowGroup(0);
        var bytes = group.MetaData.TotalByteSize;
        reader.Close();
        return bytes;
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
