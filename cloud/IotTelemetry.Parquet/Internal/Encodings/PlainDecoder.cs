using System.Buffers.Binary;
using System.Text;

namespace IotTelemetry.Parquet.Internal.Encodings;

/// <summary>Reads PLAIN-encoded values; every read checks that the bytes are there.</summary>
internal static class PlainDecoder
{
    public static T[] ReadFixed<T, TCodec>(ReadOnlySpan<byte> data, int count)
        where T : unmanaged
        where TCodec : IPlainCodec<T>
    {
        var size = TCodec.Size;
        if ((long)count * size > data.Length)
            throw new ParquetFormatException($"Expected {(long)count * size} bytes for {count} PLAIN values, got {data.Length}");
        var values = new T[count];
        for (var i = 0; i < count; i++) values[i] = TCodec.Read(data.Slice(i * size, size));
        return values;
    }

    public static bool[] ReadBooleans(ReadOnlySpan<byte> data, int count)
    {
        if ((count + 7) / 8 > data.Length)
            throw new ParquetFormatException($"Expected {(count + 7) / 8} bytes for {count} PLAIN booleans, got {data.Length}");
        var values = new bool[count];
        for (var i = 0; i < count; i++) values[i] = (data[i >> 3] & (1 << (i & 7))) != 0;
        return values;
    }

    public static string[] ReadStrings(ReadOnlySpan<byte> data, int count)
    {
        var values = new string[count];
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            if (data.Length - position < 4)
                throw new ParquetFormatException($"Expected a 4-byte length for BYTE_ARRAY value {i} at byte {position}, but only {data.Length - position} remain");
            var length = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
            position += 4;
            if (length < 0 || length > data.Length - position)
                throw new ParquetFormatException($"Expected a BYTE_ARRAY length of 0..{data.Length - position} for value {i}, got {length}");
            values[i] = Encoding.UTF8.GetString(data.Slice(position, length));
            position += length;
        }
        return values;
    }
}
