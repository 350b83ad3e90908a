using System.Buffers.Binary;

namespace IotTelemetry.Parquet.Internal.Encodings;

/// <summary>PLAIN encoding of one fixed-width value: little-endian, no padding.</summary>
internal interface IPlainCodec<T> where T : unmanaged
{
    static abstract int Size { get; }
    static abstract void Write(Span<byte> destination, T value);
    static abstract T Read(ReadOnlySpan<byte> source);
}

internal readonly struct Int32Codec : IPlainCodec<int>
{
    public static int Size => 4;
    public static void Write(Span<byte> destination, int value) => BinaryPrimitives.WriteInt32LittleEndian(destination, value);
    public static int Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadInt32LittleEndian(source);
}

internal readonly struct Int64Codec : IPlainCodec<long>
{
    public static int Size => 8;
    public static void Write(Span<byte> destination, long value) => BinaryPrimitives.WriteInt64LittleEndian(destination, value);
    public static long Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadInt64LittleEndian(source);
}

internal readonly struct DoubleCodec : IPlainCodec<double>
{
    public static int Size => 8;
    public static void Write(Span<byte> destination, double value) => BinaryPrimitives.WriteDoubleLittleEndian(destination, value);
    public static double Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadDoubleLittleEndian(source);
}
