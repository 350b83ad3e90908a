namespace IotTelemetry.Parquet.Tests;

/// <summary>
/// A schema with every column type, required and optional, and deterministic rows that include the
/// edge values of each type (NaN, -0.0, infinities, extreme integers and instants, empty and non-ASCII
/// strings) and nulls in every optional column.
/// </summary>
internal static class AllTypesRows
{
    public static readonly ParquetSchema Schema = new(
        new ParquetField("time", ParquetColumnType.Timestamp),
        new ParquetField("time_opt", ParquetColumnType.Timestamp, IsNullable: true),
        new ParquetField("d", ParquetColumnType.Double),
        new ParquetField("d_opt", ParquetColumnType.Double, IsNullable: true),
        new ParquetField("b", ParquetColumnType.Boolean),
        new ParquetField("b_opt", ParquetColumnType.Boolean, IsNullable: true),
        new ParquetField("i", ParquetColumnType.Int32),
        new ParquetField("i_opt", ParquetColumnType.Int32, IsNullable: true),
        new ParquetField("l", ParquetColumnType.Int64),
        new ParquetField("l_opt", ParquetColumnType.Int64, IsNullable: true),
        new ParquetField("s", ParquetColumnType.String),
        new ParquetField("s_opt", ParquetColumnType.String, IsNullable: true));

    public static readonly double[] EdgeDoubles =
        [double.NaN, -0.0, 0.0, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue,
         double.Epsilon, 0.1, 1e-300, -123.456, 2.0 / 3.0];

    public static readonly long[] EdgeMicros =
        [0, -1, 1, TimestampColumn.ToMicros(DateTimeOffset.MinValue), TimestampColumn.ToMicros(DateTimeOffset.MaxValue),
         1_767_225_600_123_456];

    public static readonly string[] EdgeStrings =
        ["", "ü", "日本語", "😀 emoji", "quote ' and \"", "\uFFFD", new string('x', 5000), "plant-a"];

    /// <summary>Appends <paramref name="count"/> rows; row <c>first + k</c> always gets the same values.</summary>
    public static void Append(ParquetRowBuffer rows, int count, int first = 0)
    {
        var time = rows.Column<TimestampColumn>("time");
        var timeOpt = rows.Column<TimestampColumn>("time_opt");
        var d = rows.Column<DoubleColumn>("d");
        var dOpt = rows.Column<DoubleColumn>("d_opt");
        var b = rows.Column<BooleanColumn>("b");
        var bOpt = rows.Column<BooleanColumn>("b_opt");
        var i = rows.Column<Int32Column>("i");
        var iOpt = rows.Column<Int32Column>("i_opt");
        var l = rows.Column<Int64Column>("l");
        var lOpt = rows.Column<Int64Column>("l_opt");
        var s = rows.Column<StringColumn>("s");
        var sOpt = rows.Column<StringColumn>("s_opt");
        for (var k = first; k < first + count; k++)
        {
            time.Add(k < EdgeMicros.Length ? EdgeMicros[k] : 1_767_225_600_000_000 + k * 1_000_003L);
            timeOpt.Add(k % 3 == 0 ? null : 1_767_225_600_000_000 - k * 7L);
            d.Add(k < EdgeDoubles.Length ? EdgeDoubles[k] : k * 0.37 - 100);
            dOpt.Add(k % 4 == 1 ? null : k < EdgeDoubles.Length ? EdgeDoubles[EdgeDoubles.Length - 1 - k] : Math.Sqrt(k));
            b.Add(k % 3 != 0);
            bOpt.Add(k % 5 == 2 ? null : k % 2 == 0);
            i.Add(k switch { 0 => int.MinValue, 1 => int.MaxValue, _ => k * 17 - 5000 });
            iOpt.Add(k % 2 == 0 ? null : k % 7);
            l.Add(k switch { 0 => long.MinValue, 1 => long.MaxValue, _ => k * 1_000_000_007L });
            lOpt.Add(k % 6 == 5 ? null : -k);
            s.Add(k < 64 ? EdgeStrings[k % EdgeStrings.Length] : "value-" + (k % 300)); // 300+ distinct: 9-bit indices
            sOpt.Add(k % 4 == 3 ? null : "device-" + (k % 37));
        }
    }

    /// <summary>Writes the rows in row groups of the given sizes; returns the rows written, by row group.</summary>
    public static List<ParquetRowBuffer> WriteFile(string path, ParquetWriterOptions options, params int[] rowGroupSizes)
    {
        var groups = new List<ParquetRowBuffer>();
        using var writer = new ParquetWriter(File.Create(path), Schema, options);
        var first = 0;
        foreach (var size in rowGroupSizes)
        {
            var rows = new ParquetRowBuffer(Schema);
            Append(rows, size, first);
            writer.WriteRowGroup(rows);
            groups.Add(rows);
            first += size;
        }
        writer.Complete();
        return groups;
    }
}
