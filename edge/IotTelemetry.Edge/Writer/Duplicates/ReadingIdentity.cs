using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Edge.Writer.Duplicates;

/// <summary>
/// What makes two readings the same reading: the sensor (site, asset, sensor), the event time, the value (bit for bit) and
/// the quality, kept as their 128-bit XXH3 hash. Unit, source and ingest time are left out: a redelivered message is mapped
/// again at another time. 16 bytes instead of the fields themselves keep the window of <c>Duplicates:Window</c> readings
/// small; two different readings share a hash with a probability of about n² / 2¹²⁹ (below 10⁻²⁸ for a window of 200,000).
/// </summary>
internal readonly record struct ReadingIdentity(UInt128 Hash)
{
    private const int StackBytes = 512;

    public static ReadingIdentity Of(Reading r)
    {
        // Each name with its length in front, so that ("ab", "c") and ("a", "bc") differ; then the fixed-width fields.
        var size = 3 * 4 + 2 * (r.Site.Length + r.Asset.Length + r.Sensor.Length) + 8 + 8 + 1;
        byte[]? rented = null;
        var buffer = size <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(size));
        var pos = Name(buffer, 0, r.Site);
        pos = Name(buffer, pos, r.Asset);
        pos = Name(buffer, pos, r.Sensor);
        BinaryPrimitives.WriteInt64LittleEndian(buffer[pos..], r.TimestampMicros); pos += 8;
        BinaryPrimitives.WriteInt64LittleEndian(buffer[pos..], BitConverter.DoubleToInt64Bits(r.Value)); pos += 8;
        buffer[pos++] = (byte)r.Quality;
        var hash = XxHash128.HashToUInt128(buffer[..pos]);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return new ReadingIdentity(hash);
    }

    private static int Name(Span<byte> buffer, int pos, string name)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer[pos..], name.Length);
        pos += 4;
        var bytes = MemoryMarshal.AsBytes(name.AsSpan());
        bytes.CopyTo(buffer[pos..]);
        return pos + bytes.Length;
    }
}

/// <summary>A dead letter's identity: the source (MQTT topic or node), the payload's length and its 64-bit XXH3 hash.</summary>
internal readonly record struct DeadLetterIdentity(string Source, int Length, ulong PayloadHash)
{
    public static DeadLetterIdentity Of(string source, ReadOnlySpan<byte> payload) =>
        new(source, payload.Length, System.IO.Hashing.XxHash3.HashToUInt64(payload));
}
