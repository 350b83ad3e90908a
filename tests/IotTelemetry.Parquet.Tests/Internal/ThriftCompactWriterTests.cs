using IotTelemetry.Parquet.Internal;
using IotTelemetry.Parquet.Internal.Format;
using IotTelemetry.Parquet.Internal.Thrift;
using Xunit;

namespace IotTelemetry.Parquet.Tests.Internal;

public sealed class ThriftCompactWriterTests
{
    private static byte[] Write(Action<CompactWriter> write)
    {
        using var buffer = new PooledBuffer();
        write(new CompactWriter(buffer));
        return buffer.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData(0, 0u)]
    [InlineData(-1, 1u)]
    [InlineData(1, 2u)]
    [InlineData(-2, 3u)]
    [InlineData(int.MaxValue, 4294967294u)]
    [InlineData(int.MinValue, 4294967295u)]
    public void Zigzag_maps_small_magnitudes_to_small_numbers(int value, uint expected)
    {
        Assert.Equal(expected, CompactWriter.ZigZag(value));
        Assert.Equal((ulong)expected, CompactWriter.ZigZag((long)value));
    }

    [Fact]
    public void Zigzag_of_int64_extremes_uses_all_64_bits()
    {
        Assert.Equal(ulong.MaxValue - 1, CompactWriter.ZigZag(long.MaxValue));
        Assert.Equal(ulong.MaxValue, CompactWriter.ZigZag(long.MinValue));
    }

    [Theory]
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(127UL, new byte[] { 0x7F })]
    [InlineData(128UL, new byte[] { 0x80, 0x01 })]
    [InlineData(300UL, new byte[] { 0xAC, 0x02 })]
    [InlineData(ulong.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Varint_is_little_endian_base_128(ulong value, byte[] expected)
    {
        Assert.Equal(expected, Write(w => w.WriteVarint(value)));
    }

    [Fact]
    public void Field_headers_carry_the_id_delta_in_the_high_nibble()
    {
        var bytes = Write(w =>
        {
            w.StructBegin();
            w.I32Field(1, 5);   // delta 1, type i32 (5): 0x15, zigzag(5) = 10
            w.I32Field(3, -1);  // delta 2: 0x25, zigzag(-1) = 1
            w.I64Field(18, 1);  // delta 15: 0xF6, zigzag(1) = 2
            w.StructEnd();
        });
        Assert.Equal(new byte[] { 0x15, 0x0A, 0x25, 0x01, 0xF6, 0x02, 0x00 }, bytes);
    }

    [Fact]
    public void Field_header_falls_back_to_long_form_when_the_delta_is_over_15_or_not_positive()
    {
        var bytes = Write(w =>
        {
            w.StructBegin();
            w.I32Field(3, 0);   // 0x35 0x00
            w.I64Field(20, 1);  // delta 17: type byte 0x06, zigzag i16 20 = 40 (0x28), value 0x02
            w.I32Field(2, 0);   // backwards: 0x05, zigzag(2) = 4, value 0x00
            w.StructEnd();
        });
        Assert.Equal(new byte[] { 0x35, 0x00, 0x06, 0x28, 0x02, 0x05, 0x04, 0x00, 0x00 }, bytes);
    }

    [Fact]
    public void Boolean_fields_are_folded_into_the_field_header()
    {
        var bytes = Write(w =>
        {
            w.StructBegin();
            w.BoolField(1, true);   // type 1 = true
            w.BoolField(2, false);  // type 2 = false
            w.StructEnd();
        });
        Assert.Equal(new byte[] { 0x11, 0x12, 0x00 }, bytes);
    }

    [Fact]
    public void Boolean_list_elements_are_one_byte_1_for_true_2_for_false()
    {
        var bytes = Write(w =>
        {
            w.ListBegin(CompactType.BooleanTrue, 2);
            w.Bool(true);
            w.Bool(false);
        });
        Assert.Equal(new byte[] { 0x21, 0x01, 0x02 }, bytes);
    }

    [Fact]
    public void Strings_are_length_prefixed_utf8()
    {
        var bytes = Write(w =>
        {
            w.StructBegin();
            w.StringField(4, "aü"); // delta 4, type binary 8: 0x48; length 3; 'a', 0xC3 0xBC
            w.StructEnd();
        });
        Assert.Equal(new byte[] { 0x48, 0x03, 0x61, 0xC3, 0xBC, 0x00 }, bytes);
    }

    [Fact]
    public void Short_lists_put_the_size_in_the_header_and_long_lists_use_a_varint()
    {
        Assert.Equal(new byte[] { 0x35, 0x02, 0x04, 0x06 }, Write(w =>
        {
            w.ListBegin(CompactType.I32, 3);
            w.I32(1);
            w.I32(2);
            w.I32(3);
        }));
        Assert.Equal(new byte[] { 0xE8 }, Write(w => w.ListBegin(CompactType.Binary, 14)));
        Assert.Equal(new byte[] { 0xF8, 0x0F }, Write(w => w.ListBegin(CompactType.Binary, 15)));
        Assert.Equal(new byte[] { 0xFC, 0xAC, 0x02 }, Write(w => w.ListBegin(CompactType.Struct, 300)));
        Assert.Equal(new byte[] { 0x0C }, Write(w => w.ListBegin(CompactType.Struct, 0)));
    }

    [Fact]
    public void Nested_struct_restarts_field_ids_and_the_parent_continues_after_it()
    {
        var bytes = Write(w =>
        {
            w.StructBegin();
            w.I32Field(1, 1);        // 0x15 0x02
            w.StructFieldBegin(2);   // 0x1C
            w.I32Field(1, 2);        // 0x15 0x04 (ids restart inside)
            w.StructEnd();           // 0x00
            w.I32Field(3, 3);        // delta 1 from field 2: 0x15 0x06
            w.StructEnd();           // 0x00
        });
        Assert.Equal(new byte[] { 0x15, 0x02, 0x1C, 0x15, 0x04, 0x00, 0x15, 0x06, 0x00 }, bytes);
    }

    [Fact]
    public void Data_page_header_matches_hand_encoded_bytes()
    {
        var header = new PageHeader
        {
            Type = PageType.DataPage,
            UncompressedPageSize = 100,
            CompressedPageSize = 80,
            NumValues = 10,
            Encoding = PageEncoding.Plain,
        };
        var bytes = Write(header.Write);
        byte[] expected =
        [
            0x15, 0x00,             // 1: type = DATA_PAGE (0)
            0x15, 0xC8, 0x01,       // 2: uncompressed_page_size = 100 (zigzag 200)
            0x15, 0xA0, 0x01,       // 3: compressed_page_size = 80 (zigzag 160)
            0x2C,                   // 5: data_page_header (delta 2, struct)
            0x15, 0x14,             //    1: num_values = 10
            0x15, 0x00,             //    2: encoding = PLAIN
            0x15, 0x06,             //    3: definition_level_encoding = RLE (3)
            0x15, 0x06,             //    4: repetition_level_encoding = RLE (3)
            0x00,                   //    stop
            0x00,                   // stop
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Timestamp_schema_element_writes_the_logical_type_union()
    {
        var element = new SchemaElement
        {
            Type = PhysicalType.Int64,
            Repetition = FieldRepetition.Required,
            Name = "t",
            Converted = ConvertedType.TimestampMicros,
            Logical = LogicalKind.Timestamp,
            TimestampAdjustedToUtc = true,
            TimestampUnit = TimeUnit.Micros,
        };
        byte[] expected =
        [
            0x15, 0x04,             // 1: type = INT64 (2)
            0x25, 0x00,             // 3: repetition = REQUIRED
            0x18, 0x01, 0x74,       // 4: name = "t"
            0x25, 0x14,             // 6: converted_type = TIMESTAMP_MICROS (10)
            0x4C,                   // 10: logicalType (delta 4, struct)
            0x8C,                   //    8: TIMESTAMP (struct)
            0x11,                   //       1: isAdjustedToUTC = true
            0x1C,                   //       2: unit (struct)
            0x2C, 0x00,             //          2: MICROS = {}
            0x00,                   //       stop of TimeUnit
            0x00,                   //    stop of TimestampType
            0x00,                   // stop of LogicalType
            0x00,                   // stop of SchemaElement
        ];
        Assert.Equal(expected, Write(element.Write));
    }
}
