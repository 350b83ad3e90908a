using IotTelemetry.Common.Readings;

namespace IotTelemetry.Common.Tests;

public class ReadingCodecTests
{
    private static readonly Reading Sample = new("plant-a", "pump-07", "vibration", 1_763_800_000_123_456, 2.75, Quality.Uncertain,
        "mm/s", "mqtt:plants/plant-a/pump-07/vibration", 1_763_800_000_200_000);

    [Fact]
    public void A_reading_round_trips_exactly()
    {
        var bytes = ReadingCodec.Encode(Sample);
        Assert.Equal(ReadingCodec.SizeOf(Sample), bytes.Length);
        Assert.Equal(Sample, ReadingCodec.Decode(bytes));
    }

    [Theory]
    [InlineData(double.Epsilon)]
    [InlineData(-0.0)]
    [InlineData(1e308)]
    [InlineData(0.1 + 0.2)]
    public void Doubles_keep_every_bit(double value)
    {
        var decoded = ReadingCodec.Decode(ReadingCodec.Encode(Sample with { Value = value }));
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(decoded.Value));
    }

    [Fact]
    public void A_name_decoded_again_on_a_thread_is_the_same_string_and_more_names_than_the_cache_holds_still_decode_right()
    {
        var bytes = ReadingCodec.Encode(Sample);
        var first = ReadingCodec.Decode(bytes);
        var again = ReadingCodec.Decode(bytes);
        Assert.Same(first.Asset, again.Asset);
        Assert.Same(first.Source, again.Source);
        // Three times the cache's slots: every slot is overwritten by names hashing to it, and each decode must still be exact.
        for (var round = 0; round < 2; round++)
            for (var i = 0; i < 12_288; i++)
            {
                var r = Sample with { Asset = "pump-" + i, Sensor = "s" + (i * 7919 % 12_288) };
                Assert.Equal(r, ReadingCodec.Decode(ReadingCodec.Encode(r)));
            }
    }

    [Fact]
    public void Invalid_utf8_is_refused_even_where_a_valid_name_of_the_same_length_was_decoded_before()
    {
        var valid = ReadingCodec.Encode(Sample with { Unit = "ab" });
        ReadingCodec.Decode(valid);
        var invalid = (byte[])valid.Clone();
        var unitAt = Array.IndexOf(invalid, (byte)'a', 1 + 1 + 7 + 1 + 7 + 1 + 9); // after site, asset and sensor
        invalid[unitAt] = 0xC3; // a lead byte followed by 'b': not UTF-8
        var ex = Assert.Throws<ReadingFormatException>(() => ReadingCodec.Decode(invalid));
        Assert.Contains("unit", ex.Message);
    }

    [Fact]
    public void Long_and_unicode_strings_round_trip()
    {
        var r = Sample with { Asset = new string('x', 300), Unit = "°C", Sensor = "température" };
        Assert.Equal(r, ReadingCodec.Decode(ReadingCodec.Encode(r)));
    }

    [Fact]
    public void The_layout_is_version_one_little_endian()
    {
        var r = new Reading("s", "a", "x", 1, 1.0, Quality.Bad, "", "", 2);
        var expected = new byte[]
        {
            1, 1, (byte)'s', 1, (byte)'a', 1, (byte)'x', 0, 0,
            1, 0, 0, 0, 0, 0, 0, 0,
            2, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0xF0, 0x3F,
            2,
        };
        Assert.Equal(expected, ReadingCodec.Encode(r));
    }

    [Fact]
    public void An_unknown_version_is_refused_with_expected_and_actual()
    {
        var bytes = ReadingCodec.Encode(Sample);
        bytes[0] = 9;
        var ex = Assert.Throws<ReadingFormatException>(() => ReadingCodec.Decode(bytes));
        Assert.Contains("version 1 but got 9", ex.Message);
    }

    [Fact]
    public void Every_truncation_is_refused_not_misread()
    {
        var bytes = ReadingCodec.Encode(Sample);
        for (var n = 0; n < bytes.Length; n++)
            Assert.Throws<ReadingFormatException>(() => ReadingCodec.Decode(bytes.AsSpan(0, n)));
    }

    [Fact]
    public void A_bad_quality_byte_is_refused()
    {
        var bytes = ReadingCodec.Encode(Sample);
        bytes[^1] = 7;
        Assert.Throws<ReadingFormatException>(() => ReadingCodec.Decode(bytes));
    }

    [Fact]
    public void The_key_keeps_one_sensor_together()
    {
        Assert.Equal("plant-a/pump-07/vibration", Sample.Key);
        Assert.Equal(new DateTimeOffset(2025, 11, 22, 8, 26, 40, TimeSpan.Zero).AddTicks(1_234_560), Sample.Timestamp);
    }
}
