using System.Buffers.Binary;
using System.Text;

namespace IotTelemetry.Parquet.Internal.Encodings;

/// <summary>
/// PLAIN encoding of a page's non-null values: fixed-width values little-endian, booleans one bit each
/// (LSB first), byte arrays as a 4-byte little-endian length and the bytes.
/// </summary>
internal static class PlainEncoder
{
    /// <summary>Writes the values whose definition level is 1 (all of them when <paramref name="defined"/> is empty).</summary>
    public static void WriteFixed<T, TCodec>(ReadOnlySpan<T> values, ReadOnlySpan<byte> defined, PooledBuffer output)
        where T : unmanaged
        where TCodec : IPlainCodec<T>
    {
        var size = TCodec.Size;
        var span = output.GetSpan(values.Length * size);
        var position = 0;
        if (defined.IsEmpty)
        {
            foreach (var value in values)
            {
                TCodec.Write(span.Slice(position, size), value);
                position += size;
            }
        }
        else
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (defined[i] == 0) continue;
                TCodec.Write(span.Slice(position, size), values[i]);
                position += size;
            }
        }
        output.Advance(position);
    }

    public static void WriteBooleans(ReadOnlySpan<bool> values, ReadOnlySpan<byte> defined, PooledBuffer output)
    {
        var span = output.GetSpan((values.Length + 7) / 8);
        var position = 0;
        var bit = 0;
        var current = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (!defined.IsEmpty && defined[i] == 0) continue;
            if (values[i]) current |= 1 << bit;
            if (++bit == 8)
            {
                span[position++] = (byte)current;
                current = 0;
                bit = 0;
            }
        }
        if (bit > 0) span[position++] = (byte)current;
        output.Advance(position);
    }

    /// <summary>Writes one string as a BYTE_ARRAY value; returns the bytes written.</summary>
    public static int WriteString(string value, PooledBuffer output)
    {
        var span = output.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var length = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        output.Advance(4 + length);
        return 4 + length;
    }
}
