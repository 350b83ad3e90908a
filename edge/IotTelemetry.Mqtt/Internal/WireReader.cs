using System.Buffers.Binary;
using System.Text;

namespace IotTelemetry.Mqtt.Internal;

/// <summary>Reads MQTT data types from a packet body; running short is a protocol violation.</summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public WireReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;
    public readonly int Remaining => _buffer.Length - _position;
    public readonly bool End => _position >= _buffer.Length;

    public byte ReadByte()
    {
        Need(1);
        return _buffer[_position++];
    }

    public ushort ReadUInt16()
    {
        Need(2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_buffer[_position..]);
        _position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_buffer[_position..]);
        _position += 4;
        return value;
    }

    public int ReadVariableByteInteger()
    {
        if (!VariableByteInteger.TryRead(_buffer[_position..], out var value, out var consumed))
            throw new MqttProtocolException($"Expected a variable byte integer but the packet ends after {Remaining} bytes");
        _position += consumed;
        return value;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBinary());

    public ReadOnlySpan<byte> ReadBinary()
    {
        var length = ReadUInt16();
        return ReadBytes(length);
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count);
        var slice = _buffer.Slice(_position, count);
        _position += count;
        return slice;
    }

    public ReadOnlySpan<byte> ReadToEnd() => ReadBytes(Remaining);

    private readonly void Need(int count)
    {
        if (Remaining < count)
            throw new MqttProtocolException($"Expected at least {count} bytes but there are only {Remaining}");
    }
}
