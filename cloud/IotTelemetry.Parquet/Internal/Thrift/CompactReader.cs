using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace IotTelemetry.Parquet.Internal.Thrift;

/// <summary>
/// Reads Thrift compact protocol from a byte span, the counterpart of <see cref="CompactWriter"/>.
/// Unknown fields are skipped, so metadata written by newer writers still parses.
/// </summary>
internal ref struct CompactReader
{
    private const int MaxDepth = 32;
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private short _lastFieldId;
    private int _depth;
    private ParentFieldIds _parents; // the enclosing structs' last field ids, restored by StructEnd

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
        _parents[_depth] = _lastFieldId;
        _depth++;
        _lastFieldId = 0;
    }

    public void StructEnd()
    {
        _depth--;
        _lastFieldId = _parents[_depth];
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

    [InlineArray(MaxDepth)]
    private struct ParentFieldIds
    {
        private short _first;
    }
}
