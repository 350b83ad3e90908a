using System.Buffers.Binary;
using System.Text;

namespace IotTelemetry.Parquet.Internal.Thrift;

/// <summary>
/// Reads Thrift compact protocol from a byte span, the counterpart of <see cref="CompactWriter"/>.
/// Unknown fields are skipped, so metadata written by newer writers still parses.
/// </summary>
internal ref struct CompactReader
{
    private const int MaxDepth = 64;
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private short _lastFieldId;
    private int _depth;
    private ulong _idStack0; // parent field ids, four 16-bit slots per ulong, for the first 16 levels
    private ulong _idStack1;
    private ulong _idStack2;
    private ulong _idStack3;

    public CompactReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Position => _position;

    public void StructBegin()
    {
        if (_depth >= MaxDepth)
            throw new ParquetFormatException($"Expected Thrift structs nested at most {MaxDepth} deep, got deeper at byte {_position}");
        SetParent(_depth, _lastFieldId);
        _depth++;
        _lastFieldId = 0;
    }

    public void StructEnd()
    {
        _depth--;
        _lastFieldId = GetParent(_depth);
    }

    /// <summary>Reads a field header; false at the struct's stop byte.</summary>
    public bool ReadFieldHeader(out short id, out byte type)
    {
        var header = ReadByte();
        if (header == CompactType.Stop)
        {
            id = 0;
            type = CompactType.Stop;
            return false;
        }
        type = (byte)(header & 0x0F);
        var delta = header >> 4;
        id = delta != 0 ? (short)(_lastFieldId + delta) : (short)ReadI32();
        _lastFieldId = id;
        return true;
    }

    /// <summary>The value of a boolean field: it is carried in the field header's type.</summary>
    public static bool BoolFromFieldType(byte type) => type == CompactType.BooleanTrue;

    public void ReadListHeader(out byte elementType, out int count)
    {
        var header = ReadByte();
        elementType = (byte)(header & 0x0F);
        var shortCount = header >> 4;
        if (shortCount != 15)
        {
            count = shortCount;
            return;
        }
        var size = ReadVarint();
        if (size > int.MaxValue || (long)size > _data.Length - _position)
            throw new ParquetFormatException($"Expected a list size of at most {_data.Length - _position} at byte {_position}, got {size}");
        count = (int)size;
    }

    public int ReadI32() => (int)FromZigZag(ReadVarint());

    public long ReadI64() => FromZigZag(ReadVarint());

    /// <summary>A boolean list element: 1 is true (0 and 2 are false).</summary>
    public bool ReadBool() => ReadByte() == CompactType.BooleanTrue;

    public double ReadDouble()
    {
        Need(8);
        var value = BinaryPrimitives.ReadDoubleLittleEndian(_data.Slice(_position, 8));
        _position += 8;
        return value;
    }

    public ReadOnlySpan<byte> ReadBinary()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
            throw new ParquetFormatException($"Expected a binary of at most {_data.Length - _position} bytes at byte {_position}, got length {length}");
        var span = _data.Slice(_position, (int)length);
        _position += (int)length;
        return span;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBinary());

    public byte ReadByte()
    {
        Need(1);
        return _data[_position++];
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new ParquetFormatException($"Expected a varint of at most 10 bytes ending before byte {_position}, got a longer one");
    }

    public static long FromZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Skips a value of the given compact type (a field's value or a list element).</summary>
    public void Skip(byte type)
    {
        switch (type)
        {
            case CompactType.BooleanTrue:
            case CompactType.BooleanFalse:
                return; // a field's boolean lives in its header
            case CompactType.Byte:
                ReadByte();
                return;
            case CompactType.I16:
            case CompactType.I32:
            case CompactType.I64:
                ReadVarint();
                return;
            case CompactType.Double:
                ReadDouble();
                return;
            case CompactType.Binary:
                ReadBinary();
                return;
            case CompactType.List:
            case CompactType.Set:
                ReadListHeader(out var elementType, out var count);
                for (var i = 0; i < count; i++) SkipElement(elementType);
                return;
            case CompactType.Map:
                var size = ReadVarint();
                if (size == 0) return;
                var kinds = ReadByte();
                for (ulong i = 0; i < size; i++)
                {
                    SkipElement((byte)(kinds >> 4));
                    SkipElement((byte)(kinds & 0x0F));
                }
                return;
            case CompactType.Struct:
                StructBegin();
                while (ReadFieldHeader(out _, out var fieldType)) Skip(fieldType);
                StructEnd();
                return;
            default:
                throw new ParquetFormatException($"Expected a Thrift compact type 1..12 at byte {_position}, got {type}");
        }
    }

    private void SkipElement(byte type)
    {
        if (type is CompactType.BooleanTrue or CompactType.BooleanFalse) ReadByte();
        else Skip(type);
    }

    private readonly void Need(int count)
    {
        if (_data.Length - _position < count)
            throw new ParquetFormatException($"Expected {count} more bytes of Thrift data at byte {_position}, but only {_data.Length - _position} remain");
    }

    private void SetParent(int depth, short id)
    {
        if (depth >= 16) return; // deeper levels are only ever skipped; their ids are not needed afterwards
        var shift = (depth & 3) * 16;
        var mask = ~(0xFFFFUL << shift);
        var bits = (ulong)(ushort)id << shift;
        switch (depth >> 2)
        {
            case 0: _idStack0 = (_idStack0 & mask) | bits; break;
            case 1: _idStack1 = (_idStack1 & mask) | bits; break;
            case 2: _idStack2 = (_idStack2 & mask) | bits; break;
            default: _idStack3 = (_idStack3 & mask) | bits; break;
        }
    }

    private readonly short GetParent(int depth)
    {
        if (depth >= 16) return 0;
        var shift = (depth & 3) * 16;
        var word = (depth >> 2) switch { 0 => _idStack0, 1 => _idStack1, 2 => _idStack2, _ => _idStack3 };
        return (short)(ushort)(word >> shift);
    }
}
