using System.Buffers.Binary;
using System.Text;

namespace IotTelemetry.Parquet;

/// <summary>A column chunk's statistics as the footer records them, decoded for the column's type.</summary>
public sealed class ParquetStatistics
{
    internal ParquetStatistics(ParquetColumnType type, long? nullCount, byte[]? minBytes, byte[]? maxBytes)
    {
        NullCount = nullCount;
        MinBytes = minBytes;
        MaxBytes = maxBytes;
        Min = Decode(type, minBytes);
        Max = Decode(type, maxBytes);
    }

    /// <summary>The number of nulls, when recorded.</summary>
    public long? NullCount { get; }

    /// <summary>
    /// The smallest non-null value, when recorded: <see cref="DateTimeOffset"/> for Timestamp, otherwise
    /// double, bool, int, long or string as the column's type.
    /// </summary>
    public object? Min { get; }

    /// <summary>The largest non-null value, when recorded (types as for <see cref="Min"/>).</summary>
    public object? Max { get; }

    /// <summary>The PLAIN-encoded minimum as stored.</summary>
    public byte[]? MinBytes { get; }

    /// <summary>The PLAIN-encoded maximum as stored.</summary>
    public byte[]? MaxBytes { get; }

    private static object? Decode(ParquetColumnType type, byte[]? bytes)
    {
        if (bytes is null) return null;
        return type switch
        {
            ParquetColumnType.Timestamp when bytes.Length == 8 => TimestampColumn.FromMicros(BinaryPrimitives.ReadInt64LittleEndian(bytes)),
            ParquetColumnType.Int64 when bytes.Length == 8 => BinaryPrimitives.ReadInt64LittleEndian(bytes),
            ParquetColumnType.Int32 when bytes.Length == 4 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
            ParquetColumnType.Double when bytes.Length == 8 => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
            ParquetColumnType.Boolean when bytes.Length == 1 => bytes[0] != 0,
            ParquetColumnType.String => Encoding.UTF8.GetString(bytes),
            _ => null,
        };
    }
}
