using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Parquet.Tests;

public sealed class WriterContractTests : IDisposable
{
    private static readonly ParquetSchema Schema = new(
        new ParquetField("time", ParquetColumnType.Timestamp),
        new ParquetField("value", ParquetColumnType.Double, IsNullable: true));

    private readonly string _dir = RepoPaths.NewTempDirectory("parquet-contract");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ParquetRowBuffer Rows(int count)
    {
        var rows = new ParquetRowBuffer(Schema);
        for (var i = 0; i < count; i++)
        {
            rows.Column<TimestampColumn>(0).Add(i);
            rows.Column<DoubleColumn>(1).Add(i);
        }
        return rows;
    }

    [Fact]
    public void Null_in_a_required_column_is_refused_when_appended()
    {
        var rows = new ParquetRowBuffer(Schema);
        var error = Assert.Throws<InvalidOperationException>(() => rows.Column<TimestampColumn>(0).AddNull());
        Assert.Contains("'time' is required", error.Message);
        var strings = new StringColumn(new ParquetField("s", ParquetColumnType.String));
        Assert.Throws<InvalidOperationException>(() => strings.Add(null));
    }

    [Fact]
    public void Columns_of_different_lengths_are_refused_with_expected_and_actual_counts()
    {
        using var writer = new ParquetWriter(new MemoryStream(), Schema);
        var rows = Rows(3);
        rows.Column<DoubleColumn>(1).Add(9);

        var error = Assert.Throws<ArgumentException>(() => writer.WriteRowGroup(rows));

        Assert.Contains("Expected 3 rows in 'value'", error.Message);
        Assert.Contains("got 4", error.Message);
    }

    [Fact]
    public void Columns_not_matching_the_schema_are_refused()
    {
        using var writer = new ParquetWriter(new MemoryStream(), Schema);
        var other = new ParquetRowBuffer(new ParquetSchema(new ParquetField("time", ParquetColumnType.Timestamp), new ParquetField("value", ParquetColumnType.Double)));

        var error = Assert.Throws<ArgumentException>(() => writer.WriteRowGroup(other));

        Assert.Contains("Expected column 1 to be 'value: Double?'", error.Message);
    }

    [Fact]
    public void A_buffer_of_the_wrong_field_type_cannot_be_created()
    {
        Assert.Throws<ArgumentException>(() => new DoubleColumn(new ParquetField("x", ParquetColumnType.Int32)));
        Assert.Throws<InvalidCastException>(() => Rows(0).Column<Int64Column>(0));
    }

    [Fact]
    public void Nothing_can_be_written_after_complete()
    {
        using var writer = new ParquetWriter(new MemoryStream(), Schema);
        writer.WriteRowGroup(Rows(2));
        writer.Complete();

        Assert.True(writer.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => writer.WriteRowGroup(Rows(2)));
        Assert.Throws<InvalidOperationException>(() => writer.SetMetadata("k", "v"));
        Assert.Throws<InvalidOperationException>(writer.Complete);
    }

    [Fact]
    public void Disposing_without_complete_leaves_a_file_no_reader_accepts()
    {
        var path = Path.Combine(_dir, "abandoned.parquet");
        using (var writer = new ParquetWriter(File.Create(path), Schema))
        {
            writer.WriteRowGroup(Rows(100));
        }

        var error = Assert.Throws<ParquetFormatException>(() => ParquetReader.Open(path));

        Assert.Contains("Expected magic 'PAR1' at the end", error.Message);
    }

    [Fact]
    public void A_failing_stream_fails_the_write_then_the_writer_refuses_more_and_dispose_does_not_throw()
    {
        var stream = new FailingStream(failAfterBytes: 200);
        var writer = new ParquetWriter(stream, Schema, new ParquetWriterOptions { Compression = ParquetCompression.Uncompressed });

        Assert.Throws<IOException>(() => writer.WriteRowGroup(Rows(1000)));
        var error = Assert.Throws<InvalidOperationException>(writer.Complete);
        Assert.Contains("failed in an earlier write", error.Message);
        writer.Dispose(); // the stream's Dispose throws too; the writer's must not
        writer.Dispose();
        Assert.True(stream.DisposeCalled);
    }

    [Fact]
    public void A_stream_that_fails_at_once_fails_the_constructor_and_is_disposed_not_leaked()
    {
        var stream = new FailingStream(failAfterBytes: 0);

        Assert.Throws<IOException>(() => new ParquetWriter(stream, Schema));

        Assert.True(stream.DisposeCalled);
    }

    [Fact]
    public void Invalid_options_are_refused_before_anything_is_written()
    {
        var stream = new MemoryStream();
        var error = Assert.Throws<ArgumentException>(() => new ParquetWriter(stream, Schema, new ParquetWriterOptions { DataPageTargetBytes = 0 }));
        Assert.Contains("DataPageTargetBytes", error.Message);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void Schema_refuses_duplicate_and_blank_names()
    {
        Assert.Throws<ArgumentException>(() => new ParquetSchema(new ParquetField("a", ParquetColumnType.Int32), new ParquetField("a", ParquetColumnType.Int64)));
        Assert.Throws<ArgumentException>(() => new ParquetSchema(new ParquetField(" ", ParquetColumnType.Int32)));
        Assert.Throws<ArgumentException>(() => new ParquetSchema());
    }

    [Fact]
    public void Reader_rejects_a_file_that_is_not_parquet_with_what_it_found()
    {
        var path = Path.Combine(_dir, "text.parquet");
        File.WriteAllText(path, "this is not a parquet file at all");

        var error = Assert.Throws<ParquetFormatException>(() => ParquetReader.Open(path));

        Assert.Contains("Expected magic 'PAR1' at the start", error.Message);
    }

    [Fact]
    public void Timestamps_floor_to_the_microsecond_and_round_trip_through_date_time_offset()
    {
        var instant = new DateTimeOffset(2026, 3, 1, 12, 30, 45, TimeSpan.FromHours(2)).AddTicks(1234567);
        Assert.Equal(instant.AddTicks(-7), TimestampColumn.FromMicros(TimestampColumn.ToMicros(instant)));
        Assert.Equal(-1, TimestampColumn.ToMicros(DateTimeOffset.UnixEpoch.AddTicks(-1)));
    }

    private sealed class FailingStream(int failAfterBytes) : MemoryStream
    {
        public bool DisposeCalled { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Length + buffer.Length > failAfterBytes) throw new IOException("disk full (test)");
            base.Write(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            DisposeCalled = true;
            throw new IOException("dispose failed (test)");
        }
    }
}
