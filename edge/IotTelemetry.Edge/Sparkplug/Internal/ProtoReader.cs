using System.Buffers.Binary;

namespace IotTelemetry.Edge.Sparkplug.Internal;

/// <summary>Reads the protobuf wire format (varint, 64-bit, length-delimited, 32-bit fields) from a span.</summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public bool End => _pos >= _data.Length;

    /// <summary>The next field's number and wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).</summary>
    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        var field = (int)(tag >> 3);
        if (field <= 0) throw new FormatException($"Expected a field number > 0 at byte {_pos}, got {field}");
        return (field, (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _data.Length) throw new FormatException($"Expected a varint byte at {_pos} but the payload ended");
            var b = _data[_pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new FormatException($"Expected a varint of at most 10 bytes at {_pos}");
    }

    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ReadOnlySpan<byte> ReadBytes() => Take(checked((int)ReadVarint()));

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: Take(8); break;
            case 2: ReadBytes(); break;
            case 5: Take(4); break;
            default: throw new FormatException($"Expected wire type 0, 1, 2 or 5 at byte {_pos}, got {wireType}");
        }
    }

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || n > _data.Length - _pos) throw new FormatException($"Expected {n} bytes at {_pos} but only {_data.Length - _pos} remain");
        var slice = _data.Slice(_pos, n);
        _pos += n;
        return slice;
    }
}
