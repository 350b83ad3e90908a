using System.Globalization;
using System.Text.Json;
using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Parquet.Tests.DuckDb;

/// <summary>DuckDB, an independent Parquet implementation, reads every kind of file the writer produces.</summary>
public sealed class DuckDbReadsOurFilesTests : IDisposable
{
    private readonly string _dir = RepoPaths.NewTempDirectory("parquet-duckdb");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string L(string path) => TestKit.DuckDb.Literal(path);

    [Fact]
    public async Task DuckDb_sees_physical_and_logical_types_and_repetition_of_every_column()
    {
        var path = Path.Combine(_dir, "types.parquet");
        AllTypesRows.WriteFile(path, new ParquetWriterOptions(), 10);

        var rows = await TestKit.DuckDb.QueryAsync(
            $"SELECT name, type, repetition_type, converted_type, logical_type, duckdb_type FROM parquet_schema({L(path)}) WHERE type IS NOT NULL");
        var byName = rows.ToDictionary(r => r["name"].GetString()!);

        Assert.Equal(12, byName.Count);
        var time = byName["time"];
        Assert.Equal("INT64", time["type"].GetString());
        Assert.Equal("TIMESTAMP_MICROS", time["converted_type"].GetString());
        Assert.Contains("isAdjustedToUTC=1", time["logical_type"].GetString());
        Assert.Contains("MICROS=MicroSeconds()", time["logical_type"].GetString());
        Assert.Equal("TIMESTAMP WITH TIME ZONE", time["duckdb_type"].GetString());
        Assert.Equal("REQUIRED", time["repetition_type"].GetString());
        Assert.Equal("OPTIONAL", byName["time_opt"]["repetition_type"].GetString());
        Assert.Equal(("BYTE_ARRAY", "UTF8", "StringType()", "VARCHAR"),
            (byName["s"]["type"].GetString(), byName["s"]["converted_type"].GetString(), byName["s"]["logical_type"].GetString(), byName["s"]["duckdb_type"].GetString()));
        Assert.Equal(("DOUBLE", "DOUBLE"), (byName["d"]["type"].GetString(), byName["d_opt"]["duckdb_type"].GetString()));
        Assert.Equal(("BOOLEAN", "BOOLEAN"), (byName["b"]["type"].GetString(), byName["b_opt"]["duckdb_type"].GetString()));
        Assert.Equal(("INT32", "INTEGER"), (byName["i"]["type"].GetString(), byName["i_opt"]["duckdb_type"].GetString()));
        Assert.Equal(("INT64", "BIGINT"), (byName["l"]["type"].GetString(), byName["l_opt"]["duckdb_type"].GetString()));
    }

    public static TheoryData<string, ParquetWriterOptions> FileKinds => new()
    {
        { "uncompressed", new ParquetWriterOptions { Compression = ParquetCompression.Uncompressed } },
        { "snappy-small-pages", new ParquetWriterOptions { Compression = ParquetCompression.Snappy, DataPageTargetBytes = 256 } },
        { "gzip-dictionary-fallback", new ParquetWriterOptions { Compression = ParquetCompression.Gzip, DictionaryPageLimitBytes = 200 } },
        { "snappy-no-dictionary", new ParquetWriterOptions { Compression = ParquetCompression.Snappy, UseDictionary = false } },
    };

    [Theory]
    [MemberData(nameof(FileKinds))]
    public async Task DuckDb_reads_exact_values_and_nulls_from_every_kind_of_file(string kind, ParquetWriterOptions options)
    {
        var path = Path.Combine(_dir, kind + ".parquet");
        var groups = AllTypesRows.WriteFile(path, options, 700, 1, 299);
        var expected = new ParquetRowBuffer(AllTypesRows.Schema);
        AllTypesRows.Append(expected, 1000);

        var results = await TestKit.DuckDb.QueryManyAsync(
        [
            $"SELECT count(*) AS n FROM read_parquet({L(path)})",
            $"""
            SELECT epoch_us(time) AS time, epoch_us(time_opt) AS time_opt, d, signbit(d) AS d_neg, d_opt, signbit(d_opt) AS d_opt_neg,
                   b, b_opt, i, i_opt, l, l_opt, s, s_opt, typeof(time) AS time_type
            FROM read_parquet({L(path)}, file_row_number = true) ORDER BY file_row_number
            """,
            $"SELECT count(DISTINCT row_group_id) AS groups, first(compression) AS codec FROM parquet_metadata({L(path)})",
        ]);

        Assert.Equal("1000", results[0][0]["n"].GetString());
        Assert.Equal("3", results[2][0]["groups"].GetString());
        Assert.Equal(options.Compression.ToString().ToUpperInvariant(), results[2][0]["codec"].GetString());
        var rows = results[1];
        Assert.Equal(1000, rows.Count);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", rows[0]["time_type"].GetString());
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            AssertTimestamp(expected.Column<TimestampColumn>("time"), r, row["time"]);
            AssertTimestamp(expected.Column<TimestampColumn>("time_opt"), r, row["time_opt"]);
            AssertDouble(expected.Column<DoubleColumn>("d"), r, row["d"], row["d_neg"]);
            AssertDouble(expected.Column<DoubleColumn>("d_opt"), r, row["d_opt"], row["d_opt_neg"]);
            AssertValue(expected.Column<BooleanColumn>("b").GetValueOrNull(r), row["b"], e => e.GetBoolean());
            AssertValue(expected.Column<BooleanColumn>("b_opt").GetValueOrNull(r), row["b_opt"], e => e.GetBoolean());
            AssertValue(expected.Column<Int32Column>("i").GetValueOrNull(r), row["i"], e => e.GetInt32());
            AssertValue(expected.Column<Int32Column>("i_opt").GetValueOrNull(r), row["i_opt"], e => e.GetInt32());
            AssertValue(expected.Column<Int64Column>("l").GetValueOrNull(r), row["l"], e => long.Parse(e.GetString()!, CultureInfo.InvariantCulture));
            AssertValue(expected.Column<Int64Column>("l_opt").GetValueOrNull(r), row["l_opt"], e => long.Parse(e.GetString()!, CultureInfo.InvariantCulture));
            Assert.Equal(expected.Column<StringColumn>("s")[r], row["s"].GetString());
            Assert.Equal(expected.Column<StringColumn>("s_opt")[r], row["s_opt"].ValueKind == JsonValueKind.Null ? null : row["s_opt"].GetString());
        }
        Assert.Equal(3, groups.Count);
    }

    [Fact]
    public async Task DuckDb_statistics_match_min_max_and_null_count_per_row_group()
    {
        var path = Path.Combine(_dir, "stats.parquet");
        var groups = AllTypesRows.WriteFile(path, new ParquetWriterOptions(), 100, 400);

        var rows = await TestKit.DuckDb.QueryAsync($"""
            SELECT row_group_id, path_in_schema AS col, stats_null_count AS nulls,
                   CASE WHEN path_in_schema LIKE 'time%' THEN epoch_us(stats_min_value::TIMESTAMPTZ)::VARCHAR ELSE stats_min_value END AS min,
                   CASE WHEN path_in_schema LIKE 'time%' THEN epoch_us(stats_max_value::TIMESTAMPTZ)::VARCHAR ELSE stats_max_value END AS max
            FROM parquet_metadata({L(path)})
            """);

        Assert.Equal(2 * 12, rows.Count);
        var checkedDoubles = 0;
        foreach (var row in rows)
        {
            var group = groups[int.Parse(row["row_group_id"].GetString()!, CultureInfo.InvariantCulture)];
            var name = row["col"].GetString()!;
            var column = group.Columns[group.Schema.IndexOf(name)];
            Assert.True(column.NullCount.ToString(CultureInfo.InvariantCulture) == row["nulls"].GetString(), $"{name} null count");
            if (column is DoubleColumn doubles)
            {
                var finite = Enumerable.Range(0, doubles.Count).Where(r => !doubles.IsNull(r)).Select(r => doubles[r]).Where(d => !double.IsNaN(d)).ToList();
                if (finite.Any(double.IsInfinity)) continue; // DuckDB disregards double statistics with infinite bounds
                AssertDoubleStat(finite.Min() == 0 ? -0.0 : finite.Min(), row["min"], name);
                AssertDoubleStat(finite.Max() == 0 ? 0.0 : finite.Max(), row["max"], name);
                checkedDoubles++;
                continue;
            }
            var (min, max) = ExpectedRange(column);
            Assert.True(min == row["min"].GetString(), $"{name} min: expected {min}, DuckDB {row["min"]}");
            Assert.True(max == row["max"].GetString(), $"{name} max: expected {max}, DuckDB {row["max"]}");
        }
        Assert.True(checkedDoubles >= 1, "expected at least one double column with finite statistics");
    }

    private static void AssertDoubleStat(double expected, JsonElement actual, string name)
    {
        var read = double.Parse(actual.GetString()!, CultureInfo.InvariantCulture);
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(read), $"{name}: expected {expected:R}, DuckDB {actual}");
    }

    [Fact]
    public async Task DuckDb_filters_on_time_and_dictionary_strings_across_row_groups()
    {
        var path = Path.Combine(_dir, "skip.parquet");
        var schema = TelemetryParquetWorkload.Schema;
        using (var writer = new ParquetWriter(File.Create(path), schema))
        {
            var rows = new ParquetRowBuffer(schema);
            for (var g = 0; g < 4; g++)
            {
                TelemetryParquetWorkload.AppendRows(rows, 960, 1_767_225_600_000_000 + g * 3_600_000_000L, g); // one hour apart
                writer.WriteRowGroup(rows);
                rows.Clear();
            }
            writer.Complete();
        }

        var results = await TestKit.DuckDb.QueryManyAsync(
        [
            $"SELECT count(*) AS n, min(epoch_us(time)) AS first FROM read_parquet({L(path)}) WHERE time >= '2026-01-01 02:00:00+00' AND time < '2026-01-01 03:00:00+00'",
            $"SELECT count(*) AS n FROM read_parquet({L(path)}) WHERE site = 'plant-b' AND sensor = 'flow'",
        ]);

        Assert.Equal("960", results[0][0]["n"].GetString());
        Assert.Equal((1_767_225_600_000_000 + 2 * 3_600_000_000L).ToString(CultureInfo.InvariantCulture), results[0][0]["first"].GetString());
        Assert.Equal((4 * 40).ToString(CultureInfo.InvariantCulture), results[1][0]["n"].GetString()); // one site-sensor pair per asset per group
    }

    [Fact]
    public async Task DuckDb_sees_key_value_metadata_and_created_by()
    {
        var path = Path.Combine(_dir, "kv.parquet");
        var schema = new ParquetSchema(new ParquetField("v", ParquetColumnType.Int64));
        using (var writer = new ParquetWriter(File.Create(path), schema,
            new ParquetWriterOptions { KeyValueMetadata = new Dictionary<string, string> { ["iot.writer"] = "ParquetSink 1.0" } }))
        {
            var rows = new ParquetRowBuffer(schema);
            rows.Column<Int64Column>(0).Add(1);
            writer.WriteRowGroup(rows);
            writer.SetMetadata("kafka.topic", "telemetry.readings");
            writer.SetMetadata("kafka.partition", "3");
            writer.SetMetadata("kafka.offsets", "1200-1299");
            writer.SetMetadata("note", "größe ✓");
            writer.Complete();
        }

        var results = await TestKit.DuckDb.QueryManyAsync(
        [
            $"SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata({L(path)}) ORDER BY key",
            $"SELECT created_by, num_rows, num_row_groups, format_version FROM parquet_file_metadata({L(path)})",
        ]);

        var kv = results[0].ToDictionary(r => r["key"].GetString()!, r => r["value"].GetString());
        Assert.Equal("ParquetSink 1.0", kv["iot.writer"]);
        Assert.Equal("telemetry.readings", kv["kafka.topic"]);
        Assert.Equal("3", kv["kafka.partition"]);
        Assert.Equal("1200-1299", kv["kafka.offsets"]);
        Assert.Equal("größe ✓", kv["note"]);
        Assert.Equal(ParquetWriterOptions.DefaultCreatedBy, results[1][0]["created_by"].GetString());
        Assert.Equal("1", results[1][0]["num_rows"].GetString());
    }

    private static void AssertTimestamp(TimestampColumn expected, int row, JsonElement actual)
    {
        var value = expected.GetValueOrNull(row);
        if (value is null) Assert.True(actual.ValueKind == JsonValueKind.Null, $"{expected.Field.Name} row {row}: expected null, got {actual}");
        else Assert.True(value.Value.ToString(CultureInfo.InvariantCulture) == actual.GetString(), $"{expected.Field.Name} row {row}: expected {value}, got {actual}");
    }

    private static void AssertDouble(DoubleColumn expected, int row, JsonElement actual, JsonElement negative)
    {
        var value = expected.GetValueOrNull(row);
        if (value is null)
        {
            Assert.True(actual.ValueKind == JsonValueKind.Null, $"{expected.Field.Name} row {row}: expected null, got {actual}");
            return;
        }
        var read = actual.ValueKind == JsonValueKind.String
            ? double.Parse(actual.GetString()!, CultureInfo.InvariantCulture) // NaN, Infinity, -Infinity
            : actual.GetDouble();
        if (read == 0 && negative.GetBoolean()) read = -0.0;
        Assert.True(BitConverter.DoubleToInt64Bits(value.Value) == BitConverter.DoubleToInt64Bits(read) || (double.IsNaN(value.Value) && double.IsNaN(read)),
            $"{expected.Field.Name} row {row}: expected {value.Value:R}, got {read:R}");
    }

    private static void AssertValue<T>(T? expected, JsonElement actual, Func<JsonElement, T> read) where T : struct
    {
        if (expected is null) Assert.Equal(JsonValueKind.Null, actual.ValueKind);
        else Assert.Equal(expected.Value, read(actual));
    }

    /// <summary>Min/max as parquet_metadata prints them (timestamps as epoch micros).</summary>
    private static (string? Min, string? Max) ExpectedRange(ParquetColumn column)
    {
        var values = Enumerable.Range(0, column.Count).Where(r => !column.IsNull(r)).Select(column.GetBoxed).ToList();
        return column switch
        {
            TimestampColumn => (TimestampColumn.ToMicros(values.Cast<DateTimeOffset>().Min()).ToString(CultureInfo.InvariantCulture),
                                TimestampColumn.ToMicros(values.Cast<DateTimeOffset>().Max()).ToString(CultureInfo.InvariantCulture)),
            BooleanColumn => (values.Cast<bool>().Min() ? "true" : "false", values.Cast<bool>().Max() ? "true" : "false"),
            Int32Column => (values.Cast<int>().Min().ToString(CultureInfo.InvariantCulture), values.Cast<int>().Max().ToString(CultureInfo.InvariantCulture)),
            Int64Column => (values.Cast<long>().Min().ToString(CultureInfo.InvariantCulture), values.Cast<long>().Max().ToString(CultureInfo.InvariantCulture)),
            _ => (values.Cast<string>().Order(Utf8Comparer.Instance).First(), values.Cast<string>().Order(Utf8Comparer.Instance).Last()),
        };
    }

    private sealed class Utf8Comparer : IComparer<string>
    {
        public static readonly Utf8Comparer Instance = new();

        public int Compare(string? x, string? y) =>
            ((ReadOnlySpan<byte>)System.Text.Encoding.UTF8.GetBytes(x!)).SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y!));
    }
}
