using System.Buffers.Binary;
using System.Text;

namespace IotTelemetry.Common.Readings;

/// <summary>
/// The Kafka value encoding of a <see cref="Reading"/>: compact, versioned, little-endian.
/// Version 1 (documented in docs/record-format.md):
/// <code>
/// u8 version (=1)
/// str site, str asset, str sensor, str unit, str source   (str = unsigned LEB128 byte length + UTF-8)
/// i64 timestamp µs, i64 ingest time µs, f64 value, u8 quality
/// </code>
/// </summary>
public static class ReadingCodec
{
    public const byte CurrentVersion = 1;
    private const int FixedTail = 8 + 8 + 8 + 1;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The names decoded on this thread: a consumer decodes the same few thousand names in every record.</summary>
    [ThreadStatic] private static Utf8StringCache? t_names;

    /// <summary>Bytes the encoding of <paramref name="r"/> takes.</summary>
    public static int SizeOf(Reading r) =>
        1 + StringSize(r.Site) + StringSize(r.Asset) + StringSize(r.Sensor) + StringSize(r.Unit) + StringSize(r.Source) + FixedTail;

    public static byte[] Encode(Reading r)
    {
        var buffer = new byte[SizeOf(r)];
        Encode(r, buffer);
        return buffer;
    }

    /// <summary>Writes <paramref name="r"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(Reading r, Span<byte> destination)
    {
        var pos = 0;
        destination[pos++] = CurrentVersion;
        pos += WriteString(r.Site, destination[pos..]);
        pos += WriteString(r.Asset, destination[pos..]);
        pos += WriteString(r.Sensor, destination[pos..]);
        pos += WriteString(r.Unit, destination[pos..]);
        pos += WriteString(r.Source, destination[pos..]);
        BinaryPrimitives.WriteInt64LittleEndian(destination[pos..], r.TimestampMicros); pos += 8;
        BinaryPrimitives.WriteInt64LittleEndian(destination[pos..], r.IngestTimeMicros); pos += 8;
        BinaryPrimitives.WriteDoubleLittleEndian(destination[pos..], r.Value); pos += 8;
        destination[pos++] = (byte)r.Quality;
        return pos;
    }

    public static Reading Decode(ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty) throw new ReadingFormatException("Expected a reading but the message is empty");
        if (source[0] != CurrentVersion)
            throw new ReadingFormatException($"Expected reading format version {CurrentVersion} but got {source[0]}");
        var pos = 1;
        var site = ReadString(source, ref pos, "site");
        var asset = ReadString(source, ref pos, "asset");
        var sensor = ReadString(source, ref pos, "sensor");
        var unit = ReadString(source, ref pos, "unit");
        var src = ReadString(source, ref pos, "source");
        if (source.Length - pos != FixedTail)
            throw new ReadingFormatException($"Expected {FixedTail} bytes after the strings but there are {source.Length - pos}");
        var ts = BinaryPrimitives.ReadInt64LittleEndian(source[pos..]); pos += 8;
        var ingest = BinaryPrimitives.ReadInt64LittleEndian(source[pos..]); pos += 8;
        var value = BinaryPrimitives.ReadDoubleLittleEndian(source[pos..]); pos += 8;
        var quality = source[pos];
        if (quality > (byte)Quality.Bad) throw new ReadingFormatException($"Expected quality 0..2 but got {quality}");
        return new Reading(site, asset, sensor, ts, value, (Quality)quality, unit, src, ingest);
    }

    private static int StringSize(string s)
    {
        var n = Utf8.GetByteCount(s);
        return VarUIntSize((uint)n) + n;
    }

    private static int VarUIntSize(uint v)
    {
        var size = 1;
        while (v >= 0x80) { v >>= 7; size++; }
        return size;
    }

    private static int WriteString(string s, Span<byte> destination)
    {
        var n = Utf8.GetByteCount(s);
        var pos = 0;
        var v = (uint)n;
        while (v >= 0x80) { destination[pos++] = (byte)(v | 0x80); v >>= 7; }
        destination[pos++] = (byte)v;
        pos += Utf8.GetBytes(s, destination[pos..]);
        return pos;
    }

    private static string ReadString(ReadOnlySpan<byte> source, ref int pos, string field)
    {
        uint length = 0;
        var shift = 0;
        while (true)
        {
            if (pos >= source.Length) throw new ReadingFormatException($"Expected the length of {field} at byte {pos} but the message ended");
            var b = source[pos++];
            length |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
            shift += 7;
            if (shift > 28) throw new ReadingFormatException($"Expected a length of at most 5 bytes for {field}");
        }
        if (length > source.Length - pos)
            throw new ReadingFormatException($"Expected {length} bytes of {field} but only {source.Length - pos} remain");
        try
        {
            var s = (t_names ??= new Utf8StringCache()).Get(source.Slice(pos, (int)length), Utf8);
            pos += (int)length;
            return s;
        }
        catch (DecoderFallbackException)
        {
            throw new ReadingFormatException($"Expected UTF-8 text in {field}");
        }
    }
}
