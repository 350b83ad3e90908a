using IotTelemetry.Parquet.Internal;
using IotTelemetry.Parquet.Internal.Encodings;
using Xunit;

namespace IotTelemetry.Parquet.Tests.Internal;

public sealed class RleBitPackedHybridTests
{
    private static byte[] Encode(int bitWidth, params int[] values)
    {
        using var buffer = new PooledBuffer();
        RleBitPackedHybrid.Encode<int>(values, bitWidth, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Eight_equal_values_become_one_rle_run()
    {
        // header varint(8 << 1) = 0x10, then the value in ceil(1/8) = 1 byte
        Assert.Equal(new byte[] { 0x10, 0x01 }, Encode(1, 1, 1, 1, 1, 1, 1, 1, 1));
    }

    [Fact]
    public void Rle_run_value_takes_ceil_of_width_over_8_bytes_little_endian()
    {
        var values = Enumerable.Repeat(0x1234, 9).ToArray();
        Assert.Equal(new byte[] { 0x12, 0x34, 0x12 }, Encode(13, values)); // varint(18), 0x1234 LE in 2 bytes
    }

    [Fact]
    public void Short_runs_are_bit_packed_lsb_first()
    {
        // one group: header (1 << 1) | 1 = 0x03; bits 0,2,3,7 set = 0b1000_1101
        Assert.Equal(new byte[] { 0x03, 0x8D }, Encode(1, 1, 0, 1, 1, 0, 0, 0, 1));
    }

    [Fact]
    public void Bit_packing_of_0_to_7_at_width_3_matches_the_spec_example()
    {
        Assert.Equal(new byte[] { 0x03, 0x88, 0xC6, 0xFA }, Encode(3, 0, 1, 2, 3, 4, 5, 6, 7));
    }

    [Fact]
    public void Last_bit_packed_group_is_padded_with_zeros()
    {
        // run of ten 5s: varint(20) = 0x14, value 0x05; then [2, 3] packed: 2 | 3 << 3 = 0x1A, padded to 3 bytes
        Assert.Equal(new byte[] { 0x14, 0x05, 0x03, 0x1A, 0x00, 0x00 }, Encode(3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 2, 3));
    }

    [Fact]
    public void A_run_after_literals_first_fills_their_group_of_8()
    {
        // [1, 2, 3] + twenty 7s: five 7s complete the literal group, fifteen remain as an RLE run.
        // group bits: 1 | 2<<3 | 3<<6 | 7<<9 | 7<<12 | 7<<15 | 7<<18 | 7<<21 = 0xFFFED1
        var values = new[] { 1, 2, 3 }.Concat(Enumerable.Repeat(7, 20)).ToArray();
        Assert.Equal(new byte[] { 0x03, 0xD1, 0xFE, 0xFF, 0x1E, 0x07 }, Encode(3, values));
    }

    [Fact]
    public void A_run_too_short_once_the_group_is_filled_stays_bit_packed()
    {
        // [1] + eight 0s: filling the group takes seven, one is left: all nine are bit-packed (2 groups)
        var values = new[] { 1 }.Concat(Enumerable.Repeat(0, 8)).ToArray();
        Assert.Equal(new byte[] { 0x05, 0x01, 0x00 }, Encode(1, values));
    }

    [Fact]
    public void Definition_levels_encode_from_bytes()
    {
        using var buffer = new PooledBuffer();
        RleBitPackedHybrid.Encode<byte>([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1], 1, buffer);
        // run of ten 1s: 0x14 0x01; then [0, 1] packed: 0b10 = 0x02
        Assert.Equal(new byte[] { 0x14, 0x01, 0x03, 0x02 }, buffer.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x03, 0x88, 0xC6, 0xFA }, 3, new[] { 0, 1, 2, 3, 4, 5, 6, 7 })]
    [InlineData(new byte[] { 0x14, 0x05, 0x03, 0x1A, 0x00, 0x00 }, 3, new[] { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 2, 3 })]
    [InlineData(new byte[] { 0x12, 0x34, 0x12 }, 13, new[] { 0x1234, 0x1234, 0x1234, 0x1234, 0x1234, 0x1234, 0x1234, 0x1234, 0x1234 })]
    public void Decoder_reads_hand_encoded_runs(byte[] data, int bitWidth, int[] expected)
    {
        var output = new int[expected.Length];
        var consumed = RleBitPackedHybrid.Decode(data, bitWidth, output);
        Assert.Equal(expected, output);
        Assert.Equal(data.Length, consumed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(17)]
    [InlineData(32)]
    public void Mixed_runs_round_trip_at_every_width(int bitWidth)
    {
        var random = new Random(bitWidth);
        var max = bitWidth == 32 ? int.MaxValue : (1 << bitWidth) - 1;
        var values = new List<int>();
        while (values.Count < 5000)
        {
            var v = (int)random.NextInt64(0, (long)max + 1);
            values.AddRange(Enumerable.Repeat(v, random.Next(4) == 0 ? random.Next(1, 40) : 1));
        }
        var encoded = Encode(bitWidth, [.. values]);
        var decoded = new int[values.Count];
        RleBitPackedHybrid.Decode(encoded, bitWidth, decoded);
        Assert.Equal(values, decoded);
    }

    [Fact]
    public void Decoder_fails_clearly_when_runs_end_early()
    {
        var output = new int[16];
        var error = Assert.Throws<ParquetFormatException>(() => RleBitPackedHybrid.Decode([0x03, 0x88, 0xC6, 0xFA], 3, output));
        Assert.Contains("run header", error.Message);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(255, 8)]
    [InlineData(256, 9)]
    public void Bit_width_is_the_bits_of_the_largest_value(int maxValue, int expected)
    {
        Assert.Equal(expected, RleBitPackedHybrid.BitWidth(maxValue));
    }
}
