using System.Globalization;
using System.Runtime.InteropServices;
using ParquetSharp;
using Encoding = System.Text.Encoding;

namespace IotTelemetry.LakeTool;

/// <summary>Prints what a Parquet file holds, as ParquetSharp reads its footer: schema, row groups with encodings and statistics, first rows.</summary>
public static class LakeInspector
{
    public static void Write(TextWriter output, string path, int firstRows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(firstRows);
        using var file = new ParquetFileReader(path);
        var meta = file.FileMetaData;
        var schema = meta.Schema;
        output.WriteLine($"File: {path} ({new FileInfo(path).Length:N0} bytes)");
        output.WriteLine($"Created by: {meta.CreatedBy}");
        output.WriteLine($"Rows: {meta.NumRows:N0} in {meta.NumRowGroups} row group(s)");
        if (meta.KeyValueMetadata.Count > 0)
        {
            output.WriteLine("Key/value metadata:");
            foreach (var (key, value) in meta.KeyValueMetadata) output.WriteLine($"  {key} = {value}");
        }
        var columns = Enumerable.Range(0, schema.NumColumns).Select(schema.Column).ToList();
        var width = Math.Max(4, columns.Max(c => c.Name.Length));
        output.WriteLine("Schema:");
        foreach (var c in columns)
        {
            var logical = c.LogicalType switch
            {
                TimestampLogicalType t => $" TIMESTAMP({t.TimeUnit.ToString().ToUpperInvariant()}, isAdjustedToUTC={(t.IsAdjustedToUtc ? "true" : "false")})",
                StringLogicalType => " STRING",
                { Type: LogicalTypeEnum.None } => "",
                var other => " " + other,
            };
            output.WriteLine($"  {c.Name.PadRight(width)}  {Spelled(c.PhysicalType) + logical,-44} {(c.MaxDefinitionLevel == 0 ? "REQUIRED" : "OPTIONAL")}");
        }
        for (var g = 0; g < meta.NumRowGroups; g++)
        {
            using var group = file.RowGroup(g);
            var gm = group.MetaData;
            output.WriteLine($"Row group {g}: {gm.NumRows:N0} rows, {gm.TotalByteSize:N0} bytes uncompressed");
            for (var c = 0; c < columns.Count; c++)
            {
                using var chunk = gm.GetColumnChunkMetaData(c);
                var encodings = string.Join(",", chunk.Encodings.Select(e => Spelled(e)));
                output.WriteLine($"  {columns[c].Name.PadRight(width)}  {chunk.Compression.ToString().ToUpperInvariant(),-12} {encodings,-26} {chunk.TotalCompressedSize,12:N0} B  {Range(chunk.Statistics, columns[c])}");
            }
        }
        if (firstRows > 0 && meta.NumRows > 0) WriteRows(output, file, columns, firstRows);
        file.Close();
    }

    /// <summary>An enum value as the Parquet specification spells it: <c>RleDictionary</c> as <c>RLE_DICTIONARY</c>.</summary>
    private static string Spelled<T>(T value) where T : struct, Enum =>
        System.Text.RegularExpressions.Regex.Replace(value.ToString(), "(?<=[a-z0-9])(?=[A-Z])", "_").ToUpperInvariant();

    private static string Range(Statistics? stats, ColumnDescriptor column)
    {
        if (stats is null || !stats.HasMinMax) return "no statistics";
        var isTime = column.LogicalType is TimestampLogicalType;
        string Format(object? v) => v switch
        {
            long micros when isTime => FormatMicros(micros),
            ByteArray b => "\"" + Utf8(b) + "\"",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v?.ToString() ?? "null",
        };
        return $"min={Format(stats.MinUntyped)} max={Format(stats.MaxUntyped)} nulls={stats.NullCount.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string Utf8(ByteArray b)
    {
        var bytes = new byte[b.Length];
        if (b.Length > 0) Marshal.Copy(b.Pointer, bytes, 0, b.Length);
        return Encoding.UTF8.GetString(bytes);
    }

    private static string FormatMicros(long micros) =>
        DateTime.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void WriteRows(TextWriter output, ParquetFileReader file, List<ColumnDescriptor> columns, int firstRows)
    {
        using var group = file.RowGroup(0);
        var n = (int)Math.Min(firstRows, group.MetaData.NumRows);
        var cells = new string[columns.Count][];
        for (var c = 0; c < columns.Count; c++)
        {
            using var reader = group.Column(c);
            cells[c] = columns[c] switch
            {
                { LogicalType: TimestampLogicalType } => Read<long>(reader, n, FormatMicros),
                { PhysicalType: PhysicalType.ByteArray } => Read<string>(reader, n, s => "\"" + s + "\""),
                { PhysicalType: PhysicalType.Double } => Read<double>(reader, n, d => d.ToString("R", CultureInfo.InvariantCulture)),
                { PhysicalType: PhysicalType.Int32 } => Read<int>(reader, n, i => i.ToString(CultureInfo.InvariantCulture)),
                { PhysicalType: PhysicalType.Int64 } => Read<long>(reader, n, i => i.ToString(CultureInfo.InvariantCulture)),
                _ => Enumerable.Repeat("?", n).ToArray(),
            };
        }
        output.WriteLine($"First {n} row(s):");
        output.WriteLine("  " + string.Join(" | ", columns.Select(c => c.Name)));
        for (var r = 0; r < n; r++) output.WriteLine("  " + string.Join(" | ", cells.Select(col => col[r])));
    }

    private static string[] Read<T>(ColumnReader reader, int n, Func<T, string> format)
    {
        using var logical = reader.LogicalReaderOverride<T>();
        return logical.ReadAll(n).Select(format).ToArray();
    }
}
