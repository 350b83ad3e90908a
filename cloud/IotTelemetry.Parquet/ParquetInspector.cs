using System.Globalization;

namespace IotTelemetry.Parquet;

/// <summary>Prints what a Parquet file holds: footer, schema, row groups with statistics, and its first rows.</summary>
public static class ParquetInspector
{
    /// <summary>Writes a readable description of the file at <paramref name="path"/> to <paramref name="output"/>.</summary>
    /// <param name="output">Where the text goes.</param>
    /// <param name="path">The Parquet file.</param>
    /// <param name="firstRows">How many leading rows to print (0 for none).</param>
    public static void Write(TextWriter output, string path, int firstRows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegative(firstRows);
        using var reader = ParquetReader.Open(path);
        var schema = reader.Schema;
        output.WriteLine($"File: {path} ({reader.FileLength:N0} bytes)");
        output.WriteLine($"Created by: {reader.CreatedBy ?? "(not recorded)"}");
        output.WriteLine($"Rows: {reader.RowCount:N0} in {reader.RowGroups.Count} row group(s)");
        if (reader.KeyValueMetadata.Count > 0)
        {
            output.WriteLine("Key/value metadata:");
            foreach (var (key, value) in reader.KeyValueMetadata) output.WriteLine($"  {key} = {value ?? "(null)"}");
        }
        output.WriteLine("Schema:");
        var width = 4;
        foreach (var field in schema.Fields) width = Math.Max(width, field.Name.Length);
        foreach (var field in schema.Fields)
            output.WriteLine($"  {field.Name.PadRight(width)}  {StorageOf(field.Type),-44} {(field.IsNullable ? "OPTIONAL" : "REQUIRED")}");

        foreach (var group in reader.RowGroups)
        {
            output.WriteLine($"Row group {group.Index}: {group.RowCount:N0} rows, {group.CompressedSize:N0} bytes compressed, {group.TotalByteSize:N0} uncompressed");
            foreach (var chunk in group.Columns)
            {
                var stats = chunk.Statistics;
                var range = stats is null
                    ? "no statistics"
                    : $"min={Format(stats.Min)} max={Format(stats.Max)} nulls={stats.NullCount?.ToString(CultureInfo.InvariantCulture) ?? "?"}";
                output.WriteLine($"  {chunk.Field.Name.PadRight(width)}  {chunk.Compression,-12} {string.Join(",", chunk.Encodings),-26} {chunk.CompressedSize,12:N0} B  {range}");
            }
        }

        if (firstRows == 0 || reader.RowCount == 0) return;
        output.WriteLine($"First {Math.Min(firstRows, reader.RowCount)} row(s):");
        output.WriteLine("  " + string.Join(" | ", schema.Fields.Select(f => f.Name)));
        var printed = 0;
        var cells = new string[schema.Count];
        for (var g = 0; g < reader.RowGroups.Count && printed < firstRows; g++)
        {
            var rows = reader.ReadRowGroup(g);
            for (var r = 0; r < rows.RowCount && printed < firstRows; r++, printed++)
            {
                for (var c = 0; c < cells.Length; c++) cells[c] = Format(rows.Columns[c].GetBoxed(r));
                output.WriteLine("  " + string.Join(" | ", cells));
            }
        }
    }

    private static string StorageOf(ParquetColumnType type) => type switch
    {
        ParquetColumnType.Timestamp => "INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true)",
        ParquetColumnType.Double => "DOUBLE",
        ParquetColumnType.Boolean => "BOOLEAN",
        ParquetColumnType.Int32 => "INT32",
        ParquetColumnType.Int64 => "INT64",
        _ => "BYTE_ARRAY STRING",
    };

    private static string Format(object? value) => value switch
    {
        null => "null",
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => "\"" + s + "\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
