using IotTelemetry.Parquet.Internal;
using IotTelemetry.Parquet.Internal.Encodings;
using Xunit;

namespace IotTelemetry.Parquet.Tests.Internal;

public sealed class PlainEncoderTests
{
    [Fact]
    public void Booleans_are_packed_one_bit_each_lsb_first_skipping_nulls()
    {
        using var buffer = new PooledBuffer();
        bool[] values = [true, false, true, true, false, false, false, false, true, true];
        byte[] defined = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0];
        PlainEncoder.WriteBooleans(values, defined, buffer);
        Assert.Equal(new byte[] { 0x0D, 0x01 }, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Fixed_width_values_are_little_endian_and_nulls_take_no_space()
    {
        using var buffer = new PooledBuffer();
        PlainEncoder.WriteFixed<int, Int32Codec>([1, 99, -2], [1, 0, 1], buffer);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF }, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Strings_are_a_4_byte_length_and_utf8()
    {
        using var buffer = new PooledBuffer();
        PlainEncoder.WriteString("", buffer);
        PlainEncoder.WriteString("é", buffer);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 2, 0, 0, 0, 0xC3, 0xA9 }, buffer.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData("a", "b", -1)]
    [InlineData("ab", "a", 1)]
    [InlineData("\uFFFD", "\U0001F600", -1)] // EF BF BD < F0 9F 98 80, although U+FFFD > U+D83D in UTF-16
    [InlineData("\uE000", "\U00010000", -1)]
    [InlineData("\uD7FF", "\uE000", -1)]
    public void String_order_is_utf8_byte_order(string a, string b, int sign)
    {
        Assert.Equal(sign, Math.Sign(Utf8Order.Compare(a, b)));
        Assert.Equal(sign, Math.Sign(((ReadOnlySpan<byte>)System.Text.Encoding.UTF8.GetBytes(a)).SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(b))));
    }
}
