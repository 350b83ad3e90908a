using System.Buffers;
using System.Buffers.Binary;

namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>
/// Writes UA Binary (Part 6, 5.2): little-endian numbers, length-prefixed strings and arrays (-1 for null),
/// and the masked encodings of NodeId, Variant, DataValue and friends. The buffer is rented and grows as needed.
/// </summary>
internal sealed partial class UaWriter : IDisposable
{
    private byte[] _buffer;
    private int _position;

    public UaWriter(int initialCapacity = 256) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Position => _position;
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);
    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private Span<byte> Reserve(int count)
    {
        if (_position + count > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + count));
            _buffer.AsSpan(0, _position).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        var span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    /// <summary>Overwrites a UInt32 written earlier (message sizes known only at the end).</summary>
    public void PatchUInt32(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(offset, 4), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));
    public void WriteBoolean(bool value) => Reserve(1)[0] = value ? (byte)1 : (byte)0;
    public void WriteSByte(sbyte value) => Reserve(1)[0] = unchecked((byte)value);
    public void WriteByte(byte value) => Reserve(1)[0] = value;
    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16LittleEndian(Reserve(2), value);
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);
    public void WriteFloat(float value) => BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }
        var count = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteInt32(count);
        System.Text.Encoding.UTF8.GetBytes(value, Reserve(count));
    }

    /// <summary>100-nanosecond intervals since 1601-01-01 UTC; DateTime.MinValue (or earlier) is written as 0.</summary>
    public void WriteDateTime(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        if (utc <= UaDateTime.Epoch) WriteInt64(0);
        else if (utc == DateTime.MaxValue) WriteInt64(long.MaxValue);
        else WriteInt64(utc.Ticks - UaDateTime.Epoch.Ticks);
    }

    /// <summary>Data1 (UInt32), Data2 and Data3 (UInt16) little-endian, then Data4 as 8 bytes: the layout of Guid.TryWriteBytes.</summary>
    public void WriteGuid(Guid value) => value.TryWriteBytes(Reserve(16));

    public void WriteByteString(ReadOnlySpan<byte> value, bool isNull = false)
    {
        if (isNull)
        {
            WriteInt32(-1);
            return;
        }
        WriteInt32(value.Length);
        WriteBytes(value);
    }

    public void WriteByteString(byte[]? value)
    {
        if (value is null) WriteInt32(-1);
        else WriteByteString(value.AsSpan());
    }

    public void WriteStatusCode(StatusCode value) => WriteUInt32(value.Code);

    public void WriteQualifiedName(QualifiedName value)
    {
        WriteUInt16(value.NamespaceIndex);
        WriteString(value.Name);
    }

    public void WriteLocalizedText(LocalizedText value)
    {
        byte mask = 0;
        if (value.Locale is not null) mask |= 0x01;
        if (value.Text is not null) mask |= 0x02;
        WriteByte(mask);
        if (value.Locale is not null) WriteString(value.Locale);
        if (value.Text is not null) WriteString(value.Text);
    }

    /// <summary>Writes an array: Int32 length (-1 for null) then each element.</summary>
    public void WriteArray<T>(IReadOnlyList<T>? items, Action<UaWriter, T> writeItem)
    {
        if (items is null)
        {
            WriteInt32(-1);
            return;
        }
        WriteInt32(items.Count);
        for (var i = 0; i < items.Count; i++) writeItem(this, items[i]);
    }

    public void WriteEncodeable(IUaEncodeable value) => value.Encode(this);
}
