using ParquetSharp;
using ParquetSharp.Schema;

namespace IotTelemetry.Lake.Rollups;

/// <summary>
/// Rollup files through ParquetSharp, in the style of <see cref="LakeParquet"/>: every column REQUIRED, timestamps as
/// INT64 TIMESTAMP(MICROS, UTC), names as dictionary-encoded STRING, statistics on every column, key/value metadata
/// naming the source topic, partition and offsets and <c>iott.processing</c>. One row per sensor, interval and file:
/// a partial aggregate (<see cref="RollupAggregate"/>) that readers merge with GROUP BY.
/// </summary>
public static class RollupParquet
{
    /// <summary>The columns, in file order.</summary>
    public static readonly IReadOnlyList<string> ColumnNames =
        ["time", "asset", "sensor", "unit", "count", "sum", "m2", "min", "max", "last_time", "last_value", "good_count", "last_kafka_partition", "last_kafka_offset"];

    private static readonly string[] PlainColumns = ["time", "sum", "m2", "min", "max", "last_time", "last_value", "last_kafka_offset"];

    private static GroupNode NewSchema()
    {
        Node Timestamp(string name) => new PrimitiveNode(name, Repetition.Required, LogicalType.Timestamp(true, TimeUnit.Micros), PhysicalType.Int64);
        Node Text(string name) => new PrimitiveNode(name, Repetition.Required, LogicalType.String(), PhysicalType.ByteArray);
        Node Double(string name) => new PrimitiveNode(name, Repetition.Required, LogicalType.None(), PhysicalType.Double);
        Node Long(string name) => new PrimitiveNode(name, Repetition.Required, LogicalType.None(), PhysicalType.Int64);
        return new GroupNode("schema", Repetition.Required,
        [
            Timestamp("time"), Text("asset"), Text("sensor"), Text("unit"), Long("count"), Double("sum"), Double("m2"), Double("min"), Double("max"),
            Timestamp("last_time"), Double("last_value"), Long("good_count"),
            new PrimitiveNode("last_kafka_partition", Repetition.Required, LogicalType.None(), PhysicalType.Int32), Long("last_kafka_offset"),
        ]);
    }

    /// <summary>Writes <paramref name="rows"/> to a new file at <paramref name="path"/> (one row group) with <paramref name="metadata"/> in the footer, and fsyncs it.</summary>
    public static void Write(string path, IReadOnlyList<RollupRow> rows, Compression compression, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        Write(stream, rows, compression, metadata);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Writes the file to <paramref name="destination"/> (left open), for stores that take a stream.</summary>
    public static void Write(Stream destination, IReadOnlyList<RollupRow> rows, Compression compression, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var schema = NewSchema();
        using var builder = new WriterPropertiesBuilder();
        builder.Compression(compression).EnableStatistics().EnableDictionary().CreatedBy("IotTelemetry rollups (ParquetSharp)");
        foreach (var column in PlainColumns) builder.DisableDictionary(column);
        using var properties = builder.Build();
        using var output = new ParquetSharp.IO.ManagedOutputStream(destination, leaveOpen: true);
        using var file = new ParquetFileWriter(output, schema, properties, metadata);
        using (var group = file.AppendRowGroup())
        {
            Column(group, rows, r => r.TimeMicros);
            Text(group, rows, r => r.Asset);
            Text(group, rows, r => r.Sensor);
            Text(group, rows, r => r.Unit);
            Column(group, rows, r => r.Aggregate.Count);
            Column(group, rows, r => r.Aggregate.Sum);
            Column(group, rows, r => r.Aggregate.M2);
            Column(group, rows, r => r.Aggregate.Min);
            Column(group, rows, r => r.Aggregate.Max);
            Column(group, rows, r => r.Aggregate.LastTimeMicros);
            Column(group, rows, r => r.Aggregate.LastValue);
            Column(group, rows, r => r.Aggregate.GoodCount);
            Column(group, rows, r => r.Aggregate.LastPartition);
            Column(group, rows, r => r.Aggregate.LastOffset);
        }
        file.Close();
    }

    /// <summary>The rows and key/value metadata of a rollup file; fails on a file without the rollup columns.</summary>
    public static (List<RollupRow> Rows, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        using var file = new ParquetFileReader(path);
        return Read(file, path);
    }

    /// <summary>As <see cref="Read(string)"/>, from a stream (a blob being downloaded, a file already open).</summary>
    public static (List<RollupRow> Rows, IReadOnlyDictionary<string, string> Metadata) Read(Stream source, string name)
    {
        using var input = new ParquetSharp.IO.ManagedRandomAccessFile(source, leaveOpen: true);
        using var file = new ParquetFileReader(input);
        return Read(file, name);
    }

    /// <summary>The row count from the footer of a rollup file in a store (the footer only is read; a file without the rollup columns fails).</summary>
    public static long RowCount(ILakeStore store, string key)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var input = new ParquetSharp.IO.ManagedRandomAccessFile(store.OpenRead(key), leaveOpen: false);
        using var file = new ParquetFileReader(input);
        CheckSchema(file.FileMetaData.Schema, store.Describe(key));
        var rows = file.FileMetaData.NumRows;
        file.Close();
        return rows;
    }

    private static void CheckSchema(SchemaDescriptor schema, string name)
    {
        var names = Enumerable.Range(0, schema.NumColumns).Select(i => schema.Column(i).Name).ToList();
        if (!names.SequenceEqual(ColumnNames))
            throw new InvalidDataException($"Expected the rollup columns ({string.Join(", ", ColumnNames)}) in {name}, found ({string.Join(", ", names)})");
    }

    private static (List<RollupRow>, IReadOnlyDictionary<string, string>) Read(ParquetFileReader file, string name)
    {
        var meta = file.FileMetaData;
        CheckSchema(meta.Schema, name);
        var rows = new List<RollupRow>(checked((int)meta.NumRows));
        for (var g = 0; g < meta.NumRowGroups; g++)
        {
            using var group = file.RowGroup(g);
            var n = checked((int)group.MetaData.NumRows);
            var time = Fixed<long>(group, 0, n);
            var asset = Strings(group, 1, n);
            var sensor = Strings(group, 2, n);
            var unit = Strings(group, 3, n);
            var count = Fixed<long>(group, 4, n);
            var sum = Fixed<double>(group, 5, n);
            var m2 = Fixed<double>(group, 6, n);
            var min = Fixed<double>(group, 7, n);
            var max = Fixed<double>(group, 8, n);
            var lastTime = Fixed<long>(group, 9, n);
            var lastValue = Fixed<double>(group, 10, n);
            var good = Fixed<long>(group, 11, n);
            var lastPartition = Fixed<int>(group, 12, n);
            var lastOffset = Fixed<long>(group, 13, n);
            for (var i = 0; i < n; i++)
                rows.Add(new RollupRow(time[i], asset[i], sensor[i], unit[i], new RollupAggregate
                {
                    Count = count[i], Sum = sum[i], M2 = m2[i], Min = min[i], Max = max[i], LastTimeMicros = lastTime[i], LastValue = lastValue[i],
                    GoodCount = good[i], LastPartition = lastPartition[i], LastOffset = lastOffset[i],
                }));
        }
        var metadata = meta.KeyValueMetadata;
        file.Close();
        return (rows, metadata);
    }

    private static void Column<T>(RowGroupWriter group, IReadOnlyList<RollupRow> rows, Func<RollupRow, T> value) where T : unmanaged
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++) values[i] = value(rows[i]);
        using var column = (ColumnWriter<T>)group.NextColumn(); // timestamps as their INT64 microseconds
        column.WriteBatch(values);
    }

    private static void Text(RowGroupWriter group, IReadOnlyList<RollupRow> rows, Func<RollupRow, string> value)
    {
        var values = new string[rows.Count];
        for (var i = 0; i < values.Length; i++) values[i] = value(rows[i]);
        using var column = group.NextColumn();
        using var writer = column.LogicalWriter<string>();
        writer.WriteBatch(values);
    }

    private static T[] Fixed<T>(RowGroupReader group, int column, int n) where T : unmanaged
    {
        using var reader = group.Column(column);
        using var logical = reader.LogicalReaderOverride<T>();
        return logical.ReadAll(n);
    }

    private static string[] Strings(RowGroupReader group, int column, int n)
    {
        using var reader = group.Column(column);
        using var logical = reader.LogicalReader<string>();
        return logical.ReadAll(n);
    }
}
