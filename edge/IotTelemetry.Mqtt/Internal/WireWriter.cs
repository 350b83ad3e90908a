using System.Buffers.Binary;
using System.Text;

namespace IotTelemetry.Mqtt.Internal;

/// <summary>Writes MQTT data types (big-endian integers, length-prefixed strings) into a span sized beforehand.</summary>
internal ref struct WireWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public WireWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_position..], value);
        _position += 4;
    }

    public void WriteVariableByteInteger(int value) =>
        _position += VariableByteInteger.Write(_buffer[_position..], value);

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetBytes(value, _buffer[(_position + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], checked((ushort)length));
        _position += 2 + length;
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteUInt16(checked((ushort)value.Length));
        WriteBytes(value);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer[_position..]);
        _position += value.Length;
    }

    /// <summary>The fixed header: type and flags, then the remaining length.</summary>
    public void WriteFixedHeader(PacketType type, int flags, int remainingLength)
    {
        WriteByte((byte)(((int)type << 4) | (flags & 0x0F)));
        WriteVariableByteInteger(remainingLength);
    }

    public static int StringSize(string value)
    {
        var size = Encoding.UTF8.GetByteCount(value);
        if (size > ushort.MaxValue)
            throw new ArgumentException($"Expected a string of at most 65535 UTF-8 bytes, got {size}");
        return 2 + size;
    }

    /// <summary>Size of a whole packet whose variable header and payload take <paramref name="remainingLength"/> bytes.</summary>
    public static int PacketSize(int remainingLength) => 1 + VariableByteInteger.GetSize(remainingLength) + remainingLength;
}
