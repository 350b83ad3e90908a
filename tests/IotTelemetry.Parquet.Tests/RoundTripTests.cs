using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Parquet.Tests;

public sealed class RoundTripTests : IDisposable
{
    private readonly string _dir = RepoPaths.NewTempDirectory("parquet-rt");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<ParquetCompression> Codecs => [ParquetCompression.Uncompressed, ParquetCompression.Snappy, ParquetCompression.Gzip];

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Every_type_with_edge_values_and_nulls_reads_back_bit_exact(ParquetCompression compression)
    {
        var path = Path.Combine(_dir, "all.parquet");
        var written = AllTypesRows.WriteFile(path, new ParquetWriterOptions { Compression = compression }, 1000, 1, 333);

        using var reader = ParquetReader.Open(path);

        Assert.True(reader.Schema.SameAs(AllTypesRows.Schema));
        Assert.Equal(1334, reader.RowCount);
        Assert.Equal(3, reader.RowGroups.Count);
        for (var g = 0; g < written.Count; g++)
        {
            Assert.Equal(written[g].RowCount, reader.RowGroups[g].RowCount);
            Assert.All(reader.RowGroups[g].Columns, c => Assert.Equal(compression, c.Compression));
            ColumnAssert.Equal(written[g], reader.ReadRowGroup(g));
        }
    }

    [Fact]
    public void Small_pages_split_chunks_into_many_pages_that_read_back_in_order()
    {
        var path = Path.Combine(_dir, "pages.parquet");
        var written = AllTypesRows.WriteFile(path, new ParquetWriterOptions { DataPageTargetBytes = 64 }, 2000);

        using var reader = ParquetReader.Open(path);
        var chunk = reader.RowGroups[0].Columns[2]; // d: 2000 doubles at 8 per page

        Assert.True(chunk.UncompressedSize > 250 * 64, $"expected many pages, got {chunk.UncompressedSize} bytes");
        ColumnAssert.Equal(written[0], reader.ReadRowGroup(0));
    }

    [Fact]
    public void String_chunk_falls_back_to_plain_when_the_dictionary_passes_its_limit()
    {
        var path = Path.Combine(_dir, "fallback.parquet");
        var written = AllTypesRows.WriteFile(path, new ParquetWriterOptions { DictionaryPageLimitBytes = 200 }, 800);

        using var reader = ParquetReader.Open(path);
        var s = reader.RowGroups[0].Columns[10];
        var sOpt = reader.RowGroups[0].Columns[11]; // 37 short values: about 400 bytes, over the limit too

        Assert.False(s.IsDictionaryEncoded);
        Assert.Equal(["PLAIN"], s.Encodings);
        Assert.Equal(["PLAIN", "RLE"], sOpt.Encodings);
        ColumnAssert.Equal(written[0], reader.ReadRowGroup(0));
    }

    [Fact]
    public void Strings_are_dictionary_encoded_by_default_with_wide_indices_when_many_are_distinct()
    {
        var path = Path.Combine(_dir, "dict.parquet");
        var written = AllTypesRows.WriteFile(path, new ParquetWriterOptions(), 5000);

        using var reader = ParquetReader.Open(path);
        var s = reader.RowGroups[0].Columns[10];

        Assert.True(s.IsDictionaryEncoded);
        Assert.Equal(["PLAIN", "RLE_DICTIONARY"], s.Encodings);
        Assert.Equal(["PLAIN", "RLE", "RLE_DICTIONARY"], reader.RowGroups[0].Columns[11].Encodings);
        ColumnAssert.Equal(written[0], reader.ReadRowGroup(0));
    }

    [Fact]
    public void Statistics_hold_min_max_and_null_count_in_each_types_order()
    {
        var path = Path.Combine(_dir, "stats.parquet");
        AllTypesRows.WriteFile(path, new ParquetWriterOptions(), 100);

        using var reader = ParquetReader.Open(path);
        var columns = reader.RowGroups[0].Columns;
        ParquetStatistics Stats(string name) => columns[reader.Schema.IndexOf(name)].Statistics!;

        Assert.Equal(TimestampColumn.FromMicros(AllTypesRows.EdgeMicros.Min()), Stats("time").Min);
        Assert.Equal(TimestampColumn.FromMicros(AllTypesRows.EdgeMicros.Max()), Stats("time").Max);
        Assert.Equal(double.NegativeInfinity, Stats("d").Min); // NaN is left out of min/max
        Assert.Equal(double.PositiveInfinity, Stats("d").Max);
        Assert.Equal(int.MinValue, Stats("i").Min);
        Assert.Equal(int.MaxValue, Stats("i").Max);
        Assert.Equal(long.MinValue, Stats("l").Min);
        Assert.Equal(long.MaxValue, Stats("l").Max);
        Assert.Equal(false, Stats("b").Min);
        Assert.Equal(true, Stats("b").Max);
        Assert.Equal("", Stats("s").Min);
        Assert.Equal("😀 emoji", Stats("s").Max); // above U+FFFD in UTF-8 order
        Assert.Equal(0L, Stats("s").NullCount);
        Assert.Equal(25L, Stats("s_opt").NullCount);
        Assert.Equal(50L, Stats("i_opt").NullCount);
        Assert.Equal(20L, Stats("b_opt").NullCount);
    }

    [Fact]
    public void Zero_min_and_max_of_doubles_are_written_as_negative_and_positive_zero()
    {
        var schema = new ParquetSchema(new ParquetField("v", ParquetColumnType.Double));
        var path = Path.Combine(_dir, "zero.parquet");
        using (var writer = new ParquetWriter(File.Create(path), schema))
        {
            var rows = new ParquetRowBuffer(schema);
            rows.Column<DoubleColumn>(0).AddRange([0.0, 0.0]);
            writer.WriteRowGroup(rows);
            writer.Complete();
        }

        using var reader = ParquetReader.Open(path);
        var stats = reader.RowGroups[0].Columns[0].Statistics!;

        Assert.True(double.IsNegative((double)stats.Min!));
        Assert.False(double.IsNegative((double)stats.Max!));
    }

    [Fact]
    public void String_statistics_are_left_out_when_the_max_is_longer_than_4_KiB_but_null_count_stays()
    {
        var schema = new ParquetSchema(new ParquetField("s", ParquetColumnType.String, true));
        var path = Path.Combine(_dir, "long.parquet");
        using (var writer = new ParquetWriter(File.Create(path), schema))
        {
            var rows = new ParquetRowBuffer(schema);
            rows.Column<StringColumn>(0).Add("a");
            rows.Column<StringColumn>(0).Add(new string('z', 4097));
            rows.Column<StringColumn>(0).Add(null);
            writer.WriteRowGroup(rows);
            rows.Clear();
            rows.Column<StringColumn>(0).Add("a");
            rows.Column<StringColumn>(0).Add(new string('z', 4096));
            writer.WriteRowGroup(rows);
            writer.Complete();
        }

        using var reader = ParquetReader.Open(path);
        var tooLong = reader.RowGroups[0].Columns[0].Statistics!;
        var atLimit = reader.RowGroups[1].Columns[0].Statistics!;

        Assert.Null(tooLong.Max);
        Assert.Null(tooLong.Min);
        Assert.Equal(1L, tooLong.NullCount);
        Assert.Equal(new string('z', 4096), atLimit.Max);
        Assert.Equal(4097, reader.ReadColumn(0, 0).GetBoxed(1) is string s ? s.Length : 0);
    }

    [Fact]
    public void An_all_null_optional_column_has_no_min_max_and_reads_back_as_nulls()
    {
        var schema = new ParquetSchema(new ParquetField("s", ParquetColumnType.String, true), new ParquetField("v", ParquetColumnType.Double, true));
        var path = Path.Combine(_dir, "nulls.parquet");
        using (var writer = new ParquetWriter(File.Create(path), schema))
        {
            var rows = new ParquetRowBuffer(schema);
            for (var i = 0; i < 10; i++)
            {
                rows.Column<StringColumn>(0).Add(null);
                rows.Column<DoubleColumn>(1).AddNull();
            }
            writer.WriteRowGroup(rows);
            writer.Complete();
        }

        using var reader = ParquetReader.Open(path);
        var rowsRead = reader.ReadRowGroup(0);

        Assert.All(reader.RowGroups[0].Columns, c => Assert.Equal(10L, c.Statistics!.NullCount));
        Assert.All(reader.RowGroups[0].Columns, c => Assert.Null(c.Statistics!.Min));
        Assert.Equal(10, rowsRead.Columns[0].NullCount);
        Assert.Equal(10, rowsRead.Columns[1].NullCount);
    }

    [Fact]
    public void Row_groups_are_cut_by_size_when_appending_through_the_row_buffer()
    {
        var path = Path.Combine(_dir, "bysize.parquet");
        var options = new ParquetWriterOptions { RowGroupTargetBytes = 64 * 1024 };
        var schema = TelemetryParquetWorkload.Schema;
        var groupsCut = 0;
        using (var writer = new ParquetWriter(File.Create(path), schema, options))
        {
            var rows = new ParquetRowBuffer(schema);
            for (var i = 0; i < 20; i++)
            {
                TelemetryParquetWorkload.AppendRows(rows, 500, 1_767_225_600_000_000 + i * 5_000_000L, i);
                if (writer.WriteRowGroupIfFull(rows)) groupsCut++;
            }
            if (rows.RowCount > 0) groupsCut++;
            writer.WriteRowGroup(rows);
            writer.SetMetadata("kafka.offsets", "0-9999");
            writer.Complete();
            Assert.Equal(10_000, writer.RowCount);
        }

        using var reader = ParquetReader.Open(path);

        Assert.True(groupsCut >= 4, $"expected several row groups cut at 64 KiB, got {groupsCut}");
        Assert.Equal(groupsCut, reader.RowGroups.Count);
        Assert.Equal(10_000, reader.RowGroups.Sum(g => g.RowCount));
        Assert.Equal("0-9999", reader.GetMetadata("kafka.offsets"));
        Assert.Equal(ParquetWriterOptions.DefaultCreatedBy, reader.CreatedBy);
    }

    [Fact]
    public void Row_groups_of_several_files_merge_into_one_for_compaction()
    {
        var first = Path.Combine(_dir, "a.parquet");
        var second = Path.Combine(_dir, "b.parquet");
        var groupsA = AllTypesRows.WriteFile(first, new ParquetWriterOptions { Compression = ParquetCompression.Gzip }, 300, 200);
        var groupsB = AllTypesRows.WriteFile(second, new ParquetWriterOptions(), 100);
        var merged = new ParquetRowBuffer(AllTypesRows.Schema);
        foreach (var path in new[] { first, second })
        {
            using var reader = ParquetReader.Open(path);
            for (var g = 0; g < reader.RowGroups.Count; g++) merged.AppendRows(reader.ReadRowGroup(g));
        }
        var target = Path.Combine(_dir, "merged.parquet");
        using (var writer = new ParquetWriter(File.Create(target), AllTypesRows.Schema))
        {
            writer.WriteRowGroup(merged);
            writer.Complete();
        }

        using var compacted = ParquetReader.Open(target);
        var expected = new ParquetRowBuffer(AllTypesRows.Schema);
        foreach (var group in groupsA.Concat(groupsB)) expected.AppendRows(group);

        Assert.Equal(600, compacted.RowCount);
        Assert.Single(compacted.RowGroups);
        ColumnAssert.Equal(expected, compacted.ReadRowGroup(0));
        Assert.Equal(groupsB[0].Column<StringColumn>("s_opt")[99], ((StringColumn)compacted.ReadColumn(0, "s_opt"))[599]);
    }

    [Fact]
    public void Appending_rows_of_another_schema_is_refused()
    {
        var rows = new ParquetRowBuffer(AllTypesRows.Schema);
        var other = new ParquetRowBuffer(TelemetryParquetWorkload.Schema);

        var error = Assert.Throws<ArgumentException>(() => rows.AppendRows(other));

        Assert.Contains("Expected rows of schema", error.Message);
        Assert.Throws<ArgumentException>(() => rows.Columns[0].AppendFrom(other.Columns[6]));
    }

    [Fact]
    public void A_file_with_no_rows_is_valid_and_keeps_its_schema_and_metadata()
    {
        var path = Path.Combine(_dir, "empty.parquet");
        using (var writer = new ParquetWriter(File.Create(path), AllTypesRows.Schema,
            new ParquetWriterOptions { KeyValueMetadata = new Dictionary<string, string> { ["writer"] = "test" } }))
        {
            writer.WriteRowGroup(new ParquetRowBuffer(AllTypesRows.Schema));
            writer.Complete();
        }

        using var reader = ParquetReader.Open(path);

        Assert.Equal(0, reader.RowCount);
        Assert.Empty(reader.RowGroups);
        Assert.True(reader.Schema.SameAs(AllTypesRows.Schema));
        Assert.Equal("test", reader.GetMetadata("writer"));
    }
}
