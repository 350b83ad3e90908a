using System.Buffers.Binary;
using System.Text;
using IotTelemetry.Parquet.Internal.Encodings;
using IotTelemetry.Parquet.Internal.Format;

namespace IotTelemetry.Parquet.Internal.Writing;

/// <summary>
/// Column chunk statistics: null count and min/max of the non-null values, PLAIN-encoded without a
/// length prefix (timestamps and int64 as 8 bytes LE, int32 4 bytes, double 8 bytes, boolean 1 byte,
/// strings their UTF-8 bytes). Doubles ignore NaN and write a zero minimum as -0.0 and a zero maximum
/// as +0.0, as the format asks.
/// </summary>
internal static class ChunkStatistics
{
    public static Statistics ForInt64(ReadOnlySpan<long> values, ReadOnlySpan<byte> defined, int nullCount)
    {
        var stats = new Statistics { NullCount = nullCount };
        if (TryMinMax(values, defined, out var min, out var max)) SetSigned(stats, Bytes64(min), Bytes64(max));
        return stats;
    }

    public static Statistics ForInt32(ReadOnlySpan<int> values, ReadOnlySpan<byte> defined, int nullCount)
    {
        var stats = new Statistics { NullCount = nullCount };
        if (TryMinMax(values, defined, out var min, out var max))
        {
            var minBytes = new byte[4];
            var maxBytes = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(minBytes, min);
            BinaryPrimitives.WriteInt32LittleEndian(maxBytes, max);
            SetSigned(stats, minBytes, maxBytes);
        }
        return stats;
    }

    public static Statistics ForDouble(ReadOnlySpan<double> values, ReadOnlySpan<byte> defined, int nullCount)
    {
        var stats = new Statistics { NullCount = nullCount };
        if (TryMinMax(values, defined, out var min, out var max))
        {
            if (min == 0) min = -0.0;
            if (max == 0) max = 0.0;
            var minBytes = new byte[8];
            var maxBytes = new byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(minBytes, min);
            BinaryPrimitives.WriteDoubleLittleEndian(maxBytes, max);
            SetSigned(stats, minBytes, maxBytes);
        }
        return stats;
    }

    /// <summary>Min and max of the defined, non-NaN values; false when there are none.</summary>
    private static bool TryMinMax<T>(ReadOnlySpan<T> values, ReadOnlySpan<byte> defined, out T min, out T max) where T : System.Numerics.INumber<T>
    {
        min = max = T.Zero;
        var any = false;
        for (var i = 0; i < values.Length; i++)
        {
            if (!defined.IsEmpty && defined[i] == 0) continue;
            var v = values[i];
            if (T.IsNaN(v)) continue;
            if (!any) { min = max = v; any = true; }
            else if (v < min) min = v;
            else if (v > max) max = v;
        }
        return any;
    }

    public static Statistics ForBoolean(ReadOnlySpan<bool> values, ReadOnlySpan<byte> defined, int nullCount)
    {
        var stats = new Statistics { NullCount = nullCount };
        bool sawFalse = false, sawTrue = false;
        for (var i = 0; i < values.Length && !(sawFalse && sawTrue); i++)
        {
            if (!defined.IsEmpty && defined[i] == 0) continue;
            if (values[i]) sawTrue = true;
            else sawFalse = true;
        }
        if (sawFalse || sawTrue)
            SetSigned(stats, [sawFalse ? (byte)0 : (byte)1], [sawTrue ? (byte)1 : (byte)0]);
        return stats;
    }

    /// <summary>String min/max longer than this (UTF-8 bytes) are left out rather than bloat the footer.</summary>
    public const int MaxStringStatisticsBytes = 4096;

    /// <summary>
    /// String statistics go only into min_value/max_value: the legacy fields use signed byte order.
    /// Both are omitted when either is longer than <see cref="MaxStringStatisticsBytes"/>.
    /// </summary>
    public static Statistics ForStrings(string? min, string? max, int nullCount)
    {
        var stats = new Statistics { NullCount = nullCount };
        if (min is not null && max is not null
            && Encoding.UTF8.GetByteCount(min) <= MaxStringStatisticsBytes
            && Encoding.UTF8.GetByteCount(max) <= MaxStringStatisticsBytes)
        {
            stats.MinValue = Encoding.UTF8.GetBytes(min);
            stats.MaxValue = Encoding.UTF8.GetBytes(max);
        }
        return stats;
    }

    /// <summary>Min/max over all non-null values, for a chunk written without a dictionary.</summary>
    public static Statistics ForStrings(ReadOnlySpan<string?> values, int nullCount)
    {
        string? min = null, max = null;
        foreach (var v in values)
        {
            if (v is null) continue;
            if (min is null || Utf8Order.Compare(v, min) < 0) min = v;
            if (max is null || Utf8Order.Compare(v, max) > 0) max = v;
        }
        return ForStrings(min, max, nullCount);
    }

    private static byte[] Bytes64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    private static void SetSigned(Statistics stats, byte[] min, byte[] max)
    {
        stats.MinValue = min;
        stats.MaxValue = max;
        stats.LegacyMin = min;
        stats.LegacyMax = max;
    }
}
