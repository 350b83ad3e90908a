using IotTelemetry.Parquet.Internal;
using IotTelemetry.Parquet.Internal.Format;
using IotTelemetry.Parquet.Internal.Thrift;
using Xunit;

namespace IotTelemetry.Parquet.Tests.Internal;

public sealed class ThriftCompactReaderTests
{
    [Fact]
    public void Reader_decodes_hand_encoded_field_headers_values_and_nested_structs()
    {
        byte[] bytes = [0x15, 0x02, 0x1C, 0x15, 0x04, 0x00, 0x06, 0x28, 0x03, 0x11, 0x00];
        var r = new CompactReader(bytes);
        r.StructBegin();
        Assert.True(r.ReadFieldHeader(out var id, out var type));
        Assert.Equal((1, CompactType.I32, 1), (id, type, r.ReadI32()));
        Assert.True(r.ReadFieldHeader(out id, out type));
        Assert.Equal((2, CompactType.Struct), (id, type));
        r.StructBegin();
        Assert.True(r.ReadFieldHeader(out id, out type));
        Assert.Equal((1, 2), (id, r.ReadI32()));
        Assert.False(r.ReadFieldHeader(out _, out _));
        r.StructEnd();
        Assert.True(r.ReadFieldHeader(out id, out type));
        Assert.Equal((20, CompactType.I64, -2L), (id, type, r.ReadI64()));
        Assert.True(r.ReadFieldHeader(out id, out type));
        Assert.Equal(21, id);
        Assert.True(CompactReader.BoolFromFieldType(type));
        Assert.False(r.ReadFieldHeader(out _, out _));
        r.StructEnd();
        Assert.Equal(bytes.Length, r.Position);
    }

    [Fact]
    public void Unknown_fields_of_every_kind_are_skipped()
    {
        using var buffer = new PooledBuffer();
        var w = new CompactWriter(buffer);
        w.StructBegin();
        w.StringField(1, "keep");
        w.I64Field(2, long.MinValue);
        w.BoolField(3, false);
        w.ListFieldBegin(4, CompactType.Binary, 20);
        for (var i = 0; i < 20; i++) w.String("x" + i);
        w.StructFieldBegin(5);
        w.ListFieldBegin(1, CompactType.BooleanTrue, 2);
        w.Bool(true);
        w.Bool(false);
        w.EmptyStructField(2);
        w.StructEnd();
        w.FieldHeader(6, CompactType.Double);
        buffer.Write(BitConverter.GetBytes(1.5));
        w.I32Field(7, 42);
        w.StructEnd();

        var r = new CompactReader(buffer.WrittenSpan);
        r.StructBegin();
        string? kept = null;
        var last = 0;
        while (r.ReadFieldHeader(out var id, out var type))
        {
            if (id == 1) kept = r.ReadString();
            else if (id == 7) last = r.ReadI32();
            else r.Skip(type);
        }
        r.StructEnd();
        Assert.Equal("keep", kept);
        Assert.Equal(42, last);
        Assert.Equal(buffer.Length, r.Position);
    }

    [Fact]
    public void Truncated_data_fails_with_expected_and_actual_byte_counts()
    {
        byte[] bytes = [0x18, 0x05, 0x61]; // field 1 binary of length 5, but one byte follows
        var error = Assert.Throws<ParquetFormatException>(() =>
        {
            var r = new CompactReader(bytes);
            r.StructBegin();
            r.ReadFieldHeader(out _, out _);
            r.ReadBinary();
        });
        Assert.Contains("at most 1 bytes", error.Message);
        Assert.Contains("length 5", error.Message);
    }

    [Fact]
    public void File_metadata_round_trips_through_writer_and_reader()
    {
        var schema = new ParquetSchema(
            new ParquetField("time", ParquetColumnType.Timestamp),
            new ParquetField("name", ParquetColumnType.String, IsNullable: true));
        var metadata = new FileMetaData
        {
            Schema = SchemaMapping.ToElements(schema),
            NumRows = 1234567890123,
            KeyValueMetadata = [new("a", "1"), new("b", null)],
            CreatedBy = "test",
            ColumnOrderCount = 2,
            RowGroups =
            [
                new RowGroup
                {
                    NumRows = 7,
                    TotalByteSize = 99,
                    Ordinal = 0,
                    Columns =
                    [
                        new ColumnChunk
                        {
                            FileOffset = 4,
                            MetaData = new ColumnMetaData
                            {
                                Type = PhysicalType.Int64,
                                Encodings = [PageEncoding.Plain],
                                PathInSchema = ["time"],
                                Codec = CompressionCodec.Snappy,
                                NumValues = 7,
                                TotalCompressedSize = 50,
                                TotalUncompressedSize = 60,
                                DataPageOffset = 4,
                                Statistics = new Statistics { NullCount = 0, MinValue = [1, 2], MaxValue = [3, 4] },
                            },
                        },
                    ],
                },
            ],
        };
        using var buffer = new PooledBuffer();
        metadata.Write(new CompactWriter(buffer));

        var read = FileMetaData.Read(buffer.WrittenSpan);

        Assert.Equal(1234567890123, read.NumRows);
        Assert.Equal("test", read.CreatedBy);
        Assert.Equal(2, read.ColumnOrderCount);
        Assert.Equal([new("a", "1"), new("b", null)], read.KeyValueMetadata);
        Assert.True(SchemaMapping.FromElements(read.Schema).SameAs(schema));
        var chunk = Assert.Single(Assert.Single(read.RowGroups).Columns).MetaData;
        Assert.Equal(CompressionCodec.Snappy, chunk.Codec);
        Assert.Equal(["time"], chunk.PathInSchema);
        Assert.Equal(new byte[] { 1, 2 }, chunk.Statistics!.MinValue);
        Assert.Equal(new byte[] { 3, 4 }, chunk.Statistics.MaxValue);
        Assert.Equal(0, chunk.Statistics.NullCount);
    }
}
