using Apache.Arrow;
using Array = System.Array;
using Apache.Arrow.Types;
using IotTelemetry.Lake.Catalog;
using IotTelemetry.Lake;
using ParquetSharp;
using ParquetSharp.IO;

namespace IotTelemetry.Cloud.Flight;

/// <summary>
/// Reads a dataset of the lake as Arrow record batches for a <see cref="FlightQuery"/>: partitions pruned by their
/// <c>site</c> and <c>date</c>/<c>hour</c> names, row groups by the time column's statistics, then rows filtered on time,
/// asset and sensor. Works for any dataset (its columns are the files' own, its partition keys are added as string
/// columns, as DuckDB's <c>hive_partitioning</c> does), so summary tiers need no code here.
/// </summary>
public sealed class LakeArrowReader(int maxRowsPerBatch)
{
    private static readonly TimestampType Micros = new(Apache.Arrow.Types.TimeUnit.Microsecond, "UTC");

    /// <summary>The dataset's Arrow schema: its files' columns, then its partition keys; null when it has no file yet.</summary>
    public (Schema Schema, List<ColumnInfo> Columns, List<string> Keys)? SchemaOf(LakeDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        foreach (var partition in dataset.Partitions())
        {
            var file = dataset.DataFiles(partition).FirstOrDefault();
            if (file is null) continue;
            var columns = FileFooter.Read(dataset.Store, file).Schema;
            var keys = PartitionValues.Of(partition).Select(v => v.Key).ToList();
            var builder = new Schema.Builder();
            foreach (var c in columns) builder.Field(new Field(c.Name, ArrowType(c), nullable: !c.Required));
            foreach (var k in keys) builder.Field(new Field(k, StringType.Default, nullable: false));
            return (builder.Build(), columns, keys);
        }
        return null;
    }

    public IEnumerable<RecordBatch> Read(LakeDataset dataset, FlightQuery query, (Schema Schema, List<ColumnInfo> Columns, List<string> Keys) shape, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(query);
        var time = FileFooter.TimeColumn(shape.Columns);
        var asset = shape.Columns.FindIndex(c => c.Name == "asset");
        var sensor = shape.Columns.FindIndex(c => c.Name == "sensor");
        if ((query.Assets is not null && asset < 0) || (query.Sensors is not null && sensor < 0))
            throw new FormatException($"Expected asset and sensor columns in dataset {dataset.Path} to select on, it has {string.Join(", ", shape.Columns.Select(c => c.Name))}");
        if ((query.FromMicros is not null || query.ToMicros is not null) && time < 0)
            throw new FormatException($"Expected a TIMESTAMP column in dataset {dataset.Path} to select a time range on");
        foreach (var partition in dataset.Partitions())
        {
            var values = PartitionValues.Of(partition);
            if (query.Sites is not null && values.Value("site") is { } site && !query.Sites.Contains(site)) continue;
            if (PartitionValues.NamedTimeRange(values) is { } named && !query.Overlaps(Us(named.Start), Us(named.End) - 1)) continue;
            var keyValues = shape.Keys.Select(k => values.Value(k) ?? "").ToArray();
            foreach (var entry in dataset.DataFiles(partition))
            {
                ct.ThrowIfCancellationRequested();
                using var input = new ManagedRandomAccessFile(dataset.Store.OpenRead(entry.Key), leaveOpen: false);
                using var file = new ParquetFileReader(input);
                CheckColumns(file, shape.Columns, dataset.Store.Describe(entry.Key));
                for (var g = 0; g < file.FileMetaData.NumRowGroups; g++)
                {
                    using var group = file.RowGroup(g);
                    var n = checked((int)group.MetaData.NumRows);
                    if (n == 0 || (time >= 0 && !MayMatch(group, time, query))) continue;
                    var selected = Select(group, n, query, time, asset, sensor);
                    if (selected.Length == 0) continue;
                    var columns = shape.Columns.Select((c, i) => ReadColumn(group, i, c, n)).ToArray();
                    for (var start = 0; start < selected.Length; start += maxRowsPerBatch)
                    {
                        var rows = selected.AsSpan(start, Math.Min(maxRowsPerBatch, selected.Length - start)).ToArray();
                        var arrays = new List<IArrowArray>(columns.Length + keyValues.Length);
                        for (var c = 0; c < columns.Length; c++) arrays.Add(ToArrow(columns[c], shape.Columns[c], rows));
                        foreach (var v in keyValues) arrays.Add(Repeated(v, rows.Length));
                        yield return new RecordBatch(shape.Schema, arrays, rows.Length);
                    }
                }
                file.Close();
            }
        }
    }

    private static bool MayMatch(RowGroupReader group, int time, FlightQuery query)
    {
        using var chunk = group.MetaData.GetColumnChunkMetaData(time);
        return chunk.Statistics is not Statistics<long> { HasMinMax: true } stats || query.Overlaps(stats.Min, stats.Max);
    }

    /// <summary>Indices of the rows of the group that match the query (reading only the columns it filters on).</summary>
    private static int[] Select(RowGroupReader group, int n, FlightQuery query, int time, int asset, int sensor)
    {
        var times = query.FromMicros is null && query.ToMicros is null ? null : Fixed<long>(group, time, n);
        var assets = query.Assets is null ? null : Strings(group, asset, n);
        var sensors = query.Sensors is null ? null : Strings(group, sensor, n);
        var selected = new List<int>(n);
        for (var i = 0; i < n; i++)
        {
            if (times is not null && !query.InRange(times[i])) continue;
            if (assets is not null && !query.Assets!.Contains(assets[i])) continue;
            if (sensors is not null && !query.Sensors!.Contains(sensors[i])) continue;
            selected.Add(i);
        }
        return [.. selected];
    }

    private static void CheckColumns(ParquetFileReader file, List<ColumnInfo> columns, string path)
    {
        var schema = file.FileMetaData.Schema;
        var names = Enumerable.Range(0, schema.NumColumns).Select(i => schema.Column(i).Name).ToList();
        if (!names.SequenceEqual(columns.Select(c => c.Name)))
            throw new InvalidDataException($"Expected the columns of the dataset ({string.Join(", ", columns.Select(c => c.Name))}) in {path}, found ({string.Join(", ", names)})");
    }

    private static IArrowType ArrowType(ColumnInfo c) => c switch
    {
        { IsTimestamp: true } => Micros,
        { PhysicalType: "INT64" } => Int64Type.Default,
        { PhysicalType: "INT32" } => Int32Type.Default,
        { PhysicalType: "DOUBLE" } => DoubleType.Default,
        { PhysicalType: "FLOAT" } => FloatType.Default,
        { PhysicalType: "BOOLEAN" } => BooleanType.Default,
        { PhysicalType: "BYTE_ARRAY", LogicalType: "STRING" } => StringType.Default,
        _ => throw new NotSupportedException($"Expected a column Flight can serve (timestamps in µs, INT32, INT64, DOUBLE, FLOAT, BOOLEAN, STRING), {c.Name} is {c.PhysicalType} {c.LogicalType}"),
    };

    private static Array ReadColumn(RowGroupReader group, int index, ColumnInfo c, int n) => (ArrowType(c), c.Required) switch
    {
        (TimestampType or Int64Type, true) => Fixed<long>(group, index, n),
        (TimestampType or Int64Type, false) => Fixed<long?>(group, index, n),
        (Int32Type, true) => Fixed<int>(group, index, n),
        (Int32Type, false) => Fixed<int?>(group, index, n),
        (DoubleType, true) => Fixed<double>(group, index, n),
        (DoubleType, false) => Fixed<double?>(group, index, n),
        (FloatType, true) => Fixed<float>(group, index, n),
        (FloatType, false) => Fixed<float?>(group, index, n),
        (BooleanType, true) => Fixed<bool>(group, index, n),
        (BooleanType, false) => Fixed<bool?>(group, index, n),
        _ => Strings(group, index, n),
    };

    private static IArrowArray ToArrow(Array values, ColumnInfo c, int[] rows)
    {
        switch (values)
        {
            case long[] v when c.IsTimestamp:
            {
                var b = new TimestampArray.Builder(Micros);
                foreach (var i in rows) b.Append(FromMicros(v[i]));
                return b.Build();
            }
            case long?[] v when c.IsTimestamp:
            {
                var b = new TimestampArray.Builder(Micros);
                foreach (var i in rows) if (v[i] is { } m) b.Append(FromMicros(m)); else b.AppendNull();
                return b.Build();
            }
            case long[] v: return Build(new Int64Array.Builder(), v, rows);
            case long?[] v: return BuildNullable(new Int64Array.Builder(), v, rows);
            case int[] v: return Build(new Int32Array.Builder(), v, rows);
            case int?[] v: return BuildNullable(new Int32Array.Builder(), v, rows);
            case double[] v: return Build(new DoubleArray.Builder(), v, rows);
            case double?[] v: return BuildNullable(new DoubleArray.Builder(), v, rows);
            case float[] v: return Build(new FloatArray.Builder(), v, rows);
            case float?[] v: return BuildNullable(new FloatArray.Builder(), v, rows);
            case bool[] v:
            {
                var b = new BooleanArray.Builder();
                foreach (var i in rows) b.Append(v[i]);
                return b.Build();
            }
            case bool?[] v:
            {
                var b = new BooleanArray.Builder();
                foreach (var i in rows) if (v[i] is { } x) b.Append(x); else b.AppendNull();
                return b.Build();
            }
            case string[] v:
            {
                var b = new StringArray.Builder();
                foreach (var i in rows) if (v[i] is { } s) b.Append(s); else b.AppendNull();
                return b.Build();
            }
            default: throw new NotSupportedException($"Expected column values Flight can serve, got {values.GetType().Name} for {c.Name}");
        }
    }

    private static IArrowArray Build<T, TArray, TBuilder>(PrimitiveArrayBuilder<T, TArray, TBuilder> b, T[] v, int[] rows)
        where T : struct, IEquatable<T> where TArray : IArrowArray where TBuilder : class, IArrowArrayBuilder<TArray>
    {
        b.Reserve(rows.Length);
        foreach (var i in rows) b.Append(v[i]);
        return b.Build(default);
    }

    private static IArrowArray BuildNullable<T, TArray, TBuilder>(PrimitiveArrayBuilder<T, TArray, TBuilder> b, T?[] v, int[] rows)
        where T : struct, IEquatable<T> where TArray : IArrowArray where TBuilder : class, IArrowArrayBuilder<TArray>
    {
        b.Reserve(rows.Length);
        foreach (var i in rows) if (v[i] is { } x) b.Append(x); else b.AppendNull();
        return b.Build(default);
    }

    private static StringArray Repeated(string value, int count)
    {
        var b = new StringArray.Builder();
        for (var i = 0; i < count; i++) b.Append(value);
        return b.Build();
    }

    private static T[] Fixed<T>(RowGroupReader group, int column, int n) => ParquetColumns.Values<T>(group, column, n);

    private static string[] Strings(RowGroupReader group, int column, int n) => ParquetColumns.Strings(group, column, n);

    internal static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    private static long Us(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).Ticks / 10;
}
