using System.Numerics;

namespace IotTelemetry.Parquet.Internal.Encodings;

/// <summary>
/// The RLE / bit-packing hybrid of the Parquet spec, used for definition levels and dictionary indices.
/// A run is either <c>varint(count &lt;&lt; 1)</c> followed by the repeated value in ceil(width/8) little-endian
/// bytes, or <c>varint(groups &lt;&lt; 1 | 1)</c> followed by groups of 8 values packed LSB first,
/// width bytes per group. Runs of 8 or more equal values become RLE runs; the rest is bit-packed.
/// No length prefix is written here: callers add one where the page layout asks for it.
/// </summary>
internal static class RleBitPackedHybrid
{
    /// <summary>The bits needed for values 0..<paramref name="maxValue"/>.</summary>
    public static int BitWidth(int maxValue) => maxValue <= 0 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)maxValue);

    public static void Encode<T>(ReadOnlySpan<T> values, int bitWidth, PooledBuffer output)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (bitWidth is < 0 or > 32) throw new ArgumentOutOfRangeException(nameof(bitWidth), $"Expected a bit width of 0..32, got {bitWidth}");
        var n = values.Length;
        var literalStart = 0;
        var i = 0;
        while (i < n)
        {
            var value = values[i];
            var j = i + 1;
            while (j < n && values[j] == value) j++;
            var run = j - i;
            if (run < 8)
            {
                i = j;
                continue;
            }
            var pad = (8 - (i - literalStart) % 8) % 8;
            if (pad > 0)
            {
                if (run - pad < 8)
                {
                    i = j; // too short once the literal group is filled: keep it all as literals
                    continue;
                }
                i += pad;
                run -= pad;
            }
            WriteBitPacked(values[literalStart..i], bitWidth, output);
            WriteRle(ulong.CreateTruncating(value), run, bitWidth, output);
            i = j;
            literalStart = j;
        }
        WriteBitPacked(values[literalStart..n], bitWidth, output);
    }

    private static void WriteRle(ulong value, int count, int bitWidth, PooledBuffer output)
    {
        WriteVarint((uint)count << 1, output);
        var bytes = (bitWidth + 7) / 8;
        for (var b = 0; b < bytes; b++) output.WriteByte((byte)(value >> (8 * b)));
    }

    /// <summary>Bit-packs the values as one run, padding the last group of 8 with zeros.</summary>
    private static void WriteBitPacked<T>(ReadOnlySpan<T> values, int bitWidth, PooledBuffer output)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (values.IsEmpty) return;
        var groups = (values.Length + 7) / 8;
        WriteVarint(((uint)groups << 1) | 1, output);
        var byteCount = groups * bitWidth;
        var span = output.GetSpan(byteCount);
        ulong accumulator = 0;
        var bits = 0;
        var position = 0;
        var mask = bitWidth == 64 ? ulong.MaxValue : (1UL << bitWidth) - 1;
        foreach (var value in values)
        {
            accumulator |= (ulong.CreateTruncating(value) & mask) << bits;
            bits += bitWidth;
            while (bits >= 8)
            {
                span[position++] = (byte)accumulator;
                accumulator >>= 8;
                bits -= 8;
            }
        }
        if (bits > 0) span[position++] = (byte)accumulator;
        span[position..byteCount].Clear(); // zero padding of the last group
        output.Advance(byteCount);
    }

    private static void WriteVarint(uint value, PooledBuffer output)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    /// <summary>
    /// Decodes exactly <c>output.Length</c> values; returns the bytes consumed. Padding values of the last
    /// bit-packed group are read past and dropped.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> data, int bitWidth, Span<int> output)
    {
        if (bitWidth is < 0 or > 32) throw new ParquetFormatException($"Expected an RLE/bit-packed bit width of 0..32, got {bitWidth}");
        var position = 0;
        var filled = 0;
        var valueBytes = (bitWidth + 7) / 8;
        var mask = bitWidth == 32 ? uint.MaxValue : (1u << bitWidth) - 1;
        while (filled < output.Length)
        {
            var header = ReadVarint(data, ref position);
            if ((header & 1) == 0)
            {
                var count = (int)Math.Min(header >> 1, (uint)(output.Length - filled));
                if (header >> 1 == 0) throw new ParquetFormatException($"Expected an RLE run length > 0 at byte {position}, got 0");
                if (data.Length - position < valueBytes)
                    throw new ParquetFormatException($"Expected {valueBytes} bytes of RLE value at byte {position}, but only {data.Length - position} remain");
                uint value = 0;
                for (var b = 0; b < valueBytes; b++) value |= (uint)data[position + b] << (8 * b);
                position += valueBytes;
                output.Slice(filled, count).Fill((int)value);
                filled += count;
            }
            else
            {
                var groups = header >> 1;
                var byteCount = (long)groups * bitWidth;
                if (byteCount > data.Length - position)
                    throw new ParquetFormatException($"Expected {byteCount} bytes of bit-packed values at byte {position}, but only {data.Length - position} remain");
                var count = (int)Math.Min(groups * 8, (ulong)(output.Length - filled));
                ulong accumulator = 0;
                var bits = 0;
                var read = position;
                for (var k = 0; k < count; k++)
                {
                    while (bits < bitWidth)
                    {
                        accumulator |= (ulong)data[read++] << bits;
                        bits += 8;
                    }
                    output[filled + k] = (int)((uint)accumulator & mask);
                    accumulator >>= bitWidth;
                    bits -= bitWidth;
                }
                position += (int)byteCount;
                filled += count;
            }
        }
        return position;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
                throw new ParquetFormatException($"Expected an RLE/bit-packed run header at byte {position}, but the data ends there");
            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new ParquetFormatException($"Expected a run header varint of at most 10 bytes before byte {position}, got a longer one");
    }
}
