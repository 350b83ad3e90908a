using System.Globalization;
using IotTelemetry.TestKit;
using ParquetSharp;

namespace IotTelemetry.Lake.Tests;

/// <summary>The lake file's contract as DuckDB (an implementation we did not write) reads it: types, encodings, statistics, metadata, row groups.</summary>
public sealed class LakeFileContractTests : IDisposable
{
    private const long Start = 1_772_323_200_000_000; // 2026-03-01T00:00:00Z in microseconds
    private readonly string _dir = RepoPaths.NewTempDirectory("lake-contract");

    /// <summary>Readings every 10 ms (in order, like one Kafka partition), 4 assets x 3 sensors.</summary>
    private static LakeRows Rows(int count)
    {
        var rows = new LakeRows();
        for (var i = 0; i < count; i++)
        {
            var t = Start + i * 10_000L;
            rows.Add(t, $"pump-{i % 4}", $"s{i % 3}", i * 0.25, i % 50 == 0 ? "bad" : "good", "mm/s", $"opcua:pump-{i % 4}", t + 2_000, 3, 1_000 + i);
        }
        return rows;
    }

    private string Write(LakeRows rows, long rowGroupTargetBytes = 64L * 1024 * 1024, Compression compression = Compression.Snappy)
    {
        var path = Path.Combine(_dir, "telemetry-003-00000000000000001000.parquet");
        LakeParquet.Write(path, rows, compression, rowGroupTargetBytes, new Dictionary<string, string> { ["iott.site"] = "plant-a", ["iott.kafka.topic"] = "telemetry" });
        return path;
    }

    [Fact]
    public async Task DuckDB_sees_the_lake_types_dictionary_where_intended_statistics_and_metadata()
    {
        var file = DuckDb.Literal(Write(Rows(10_000)));
        var results = await DuckDb.QueryManyAsync(
        [
            $"SELECT name, type, logical_type::VARCHAR AS logical, repetition_type AS rep FROM parquet_schema({file}) WHERE name <> 'schema' ORDER BY name",
            $"SELECT path_in_schema AS col, encodings, compression, stats_min_value AS lo, stats_max_value AS hi, stats_null_count AS nulls FROM parquet_metadata({file}) ORDER BY col",
            $"SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata({file}) ORDER BY k",
            $"SELECT typeof(time) AS t, typeof(asset) AS a, typeof(value) AS v, typeof(kafka_offset) AS o FROM read_parquet({file}) LIMIT 1",
        ]);
        var schema = results[0].ToDictionary(r => r["name"].GetString()!, r => (r["type"].GetString(), r["logical"].GetString() ?? "", r["rep"].GetString()));
        Assert.Equal(10, schema.Count);
        Assert.Equal("INT64", schema["time"].Item1);
        Assert.Contains("isAdjustedToUTC=1", schema["time"].Item2, StringComparison.Ordinal);
        Assert.Contains("MICROS", schema["ingest_time"].Item2, StringComparison.Ordinal);
        Assert.Equal("BYTE_ARRAY", schema["asset"].Item1);
        Assert.Contains("StringType", schema["asset"].Item2, StringComparison.Ordinal);
        Assert.All(schema.Values, s => Assert.Equal("REQUIRED", s.Item3));

        var chunks = results[1].ToDictionary(r => r["col"].GetString()!);
        foreach (var col in new[] { "asset", "sensor", "quality", "unit", "source", "kafka_partition" })
            Assert.Contains("RLE_DICTIONARY", chunks[col]["encodings"].GetString(), StringComparison.Ordinal);
        foreach (var col in LakeParquet.PlainColumns)
            Assert.DoesNotContain("DICTIONARY", chunks[col]["encodings"].GetString(), StringComparison.Ordinal);
        Assert.All(chunks.Values, c => Assert.Equal("SNAPPY", c["compression"].GetString()));
        Assert.All(chunks.Values, c => Assert.Equal("0", c["nulls"].ToString()));
        Assert.Equal("2026-03-01 00:00:00+00", chunks["time"]["lo"].GetString());
        Assert.Equal("2026-03-01 00:01:39.99+00", chunks["time"]["hi"].GetString());
        Assert.Equal(("pump-0", "pump-3"), (chunks["asset"]["lo"].GetString(), chunks["asset"]["hi"].GetString()));
        Assert.Equal(("1000", "10999"), (chunks["kafka_offset"]["lo"].GetString(), chunks["kafka_offset"]["hi"].GetString()));

        var kv = results[2].ToDictionary(r => r["k"].GetString()!, r => r["v"].GetString());
        Assert.Equal("plant-a", kv["iott.site"]);
        Assert.Equal("telemetry", kv["iott.kafka.topic"]);
        Assert.Equal(("TIMESTAMP WITH TIME ZONE", "VARCHAR", "DOUBLE", "BIGINT"),
            (results[3][0]["t"].GetString(), results[3][0]["a"].GetString(), results[3][0]["v"].GetString(), results[3][0]["o"].GetString()));
    }

    [Theory]
    [InlineData("snappy", "SNAPPY")]
    [InlineData("gzip", "GZIP")]
    [InlineData("zstd", "ZSTD")]
    [InlineData("none", "UNCOMPRESSED")]
    public async Task Every_Lake_Compression_setting_writes_what_DuckDB_reads_back(string setting, string expected)
    {
        var file = DuckDb.Literal(Write(Rows(2_000), compression: LakeParquet.ParseCompression(setting)!.Value));
        var r = await DuckDb.QueryManyAsync(
            [$"SELECT DISTINCT compression AS c FROM parquet_metadata({file})", $"SELECT count(*) AS n, sum(kafka_offset) AS s FROM read_parquet({file})"]);
        Assert.Equal(expected, Assert.Single(r[0])["c"].GetString());
        Assert.Equal((2_000L, 2_000L * 1_000 + 1_999L * 2_000 / 2), (r[1][0]["n"].GetInt64(), r[1][0]["s"].GetInt64()));
        Assert.Null(LakeParquet.ParseCompression("lz5"));
    }

    [Fact]
    public async Task A_file_with_more_rows_than_one_row_group_target_has_several_row_groups()
    {
        var rows = Rows(50_000);
        var target = 64L * 1024; // the smallest Lake:RowGroupTargetBytes
        var expectedGroups = (int)Math.Ceiling(rows.Count / (double)LakeParquet.RowsPerGroup(rows, target));
        Assert.True(expectedGroups > 10, $"{expectedGroups} groups expected");
        var file = DuckDb.Literal(Write(rows, target));
        var groups = await DuckDb.QueryAsync(
            $"SELECT row_group_id AS g, any_value(row_group_num_rows) AS n, any_value(row_group_bytes) AS b FROM parquet_metadata({file}) GROUP BY g ORDER BY g");
        Assert.Equal(expectedGroups, groups.Count);
        Assert.Equal(rows.Count, groups.Sum(g => g["n"].GetInt64()));
        Assert.All(groups.SkipLast(1), g => Assert.Equal(LakeParquet.RowsPerGroup(rows, target), g["n"].GetInt64()));
        var total = await DuckDb.QueryAsync($"SELECT count(*) AS n, count(DISTINCT kafka_offset) AS d FROM read_parquet({file})");
        Assert.Equal((50_000L, 50_000L), (total[0]["n"].GetInt64(), total[0]["d"].GetInt64()));
    }

    /// <summary>
    /// A filter on <c>time</c> lets DuckDB skip row groups by their statistics; wrong statistics (Parquet.Net 6.1.0 wrote
    /// TIMESTAMP(MICROS) min/max in milliseconds) make it skip rows that match. Exactly the rows in range must come back.
    /// </summary>
    [Theory]
    [InlineData("2026-03-01 00:00:00+00", "2026-03-01 00:00:01+00", 100)]
    [InlineData("2026-03-01 00:01:00+00", "2026-03-01 00:02:00+00", 6_000)]
    [InlineData("2026-03-01 00:03:20.005+00", "2026-03-01 00:03:20.035+00", 3)]
    [InlineData("2026-02-28 00:00:00+00", "2026-03-02 00:00:00+00", 30_000)]
    [InlineData("2026-03-02 00:00:00+00", "2026-03-03 00:00:00+00", 0)]
    public async Task A_DuckDB_query_filtered_on_time_returns_exactly_the_rows_in_range(string from, string to, long expected)
    {
        var rows = Rows(30_000); // 5 minutes, several row groups so statistics decide which ones are read
        var file = DuckDb.Literal(Write(rows, 64L * 1024));
        var lo = DateTimeOffset.Parse(from, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() * 1000;
        var hi = DateTimeOffset.Parse(to, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() * 1000;
        var inRange = 0L;
        foreach (var t in rows.TimeMicros) if (t >= lo && t < hi) inRange++;
        Assert.Equal(expected, inRange);

        var r = await DuckDb.QueryAsync(
            $"SELECT count(*) AS n, min(kafka_offset) AS first FROM read_parquet({file}) WHERE time >= TIMESTAMPTZ '{from}' AND time < TIMESTAMPTZ '{to}'");
        Assert.Equal(expected, r[0]["n"].GetInt64());
        var firstIndex = Math.Max(0, (lo - Start + 9_999) / 10_000); // the first reading at or after lo
        if (expected > 0) Assert.Equal(1_000 + firstIndex, r[0]["first"].GetInt64());
    }

    [Fact]
    public void Reading_a_file_back_gives_the_rows_written_and_refuses_a_file_of_another_schema()
    {
        var rows = Rows(5_000);
        var (back, metadata) = LakeParquet.Read(Write(rows, 64L * 1024));
        Assert.Equal(rows.Count, back.Count);
        Assert.Equal(rows.TimeMicros.ToArray(), back.TimeMicros.ToArray());
        Assert.Equal(rows.Source.ToArray(), back.Source.ToArray());
        Assert.Equal(rows.Value.ToArray(), back.Value.ToArray());
        Assert.Equal(rows.KafkaOffset.ToArray(), back.KafkaOffset.ToArray());
        Assert.Equal("plant-a", metadata["iott.site"]);

        var other = Path.Combine(_dir, "other.parquet");
        using (var writer = new ParquetFileWriter(other, [new Column<int>("x")]))
        {
            using var group = writer.AppendRowGroup();
            using var column = group.NextColumn().LogicalWriter<int>();
            column.WriteBatch([1, 2, 3]);
            writer.Close();
        }
        var error = Assert.Throws<InvalidDataException>(() => LakeParquet.Read(other));
        Assert.Contains("Expected the lake's columns", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
