using System.Text;

namespace IotTelemetry.Parquet.Internal.Thrift;

/// <summary>
/// Writes Thrift compact protocol: zigzag varints, field headers as deltas from the previous field id
/// (long form when the delta is not 1..15), list headers with the size in the high nibble below 15,
/// booleans folded into the field header, and a stop byte at the end of every struct.
/// </summary>
internal sealed class CompactWriter
{
    private readonly PooledBuffer _out;
    private readonly Stack<short> _parentFieldIds = new();
    private short _lastFieldId;

    public CompactWriter(PooledBuffer output) => _out = output;

    /// <summary>Starts a struct (the top-level one or a nested one after its field header).</summary>
    public void StructBegin()
    {
        _parentFieldIds.Push(_lastFieldId);
        _lastFieldId = 0;
    }

    /// <summary>Writes the stop byte and returns to the enclosing struct's field numbering.</summary>
    public void StructEnd()
    {
        _out.WriteByte(CompactType.Stop);
        _lastFieldId = _parentFieldIds.Count > 0 ? _parentFieldIds.Pop() : (short)0;
    }

    public void FieldHeader(short id, byte type)
    {
        var delta = id - _lastFieldId;
        if (delta is > 0 and <= 15)
        {
            _out.WriteByte((byte)((delta << 4) | type));
        }
        else
        {
            _out.WriteByte(type);
            WriteVarint(ZigZag(id));
        }
        _lastFieldId = id;
    }

    public void I32Field(short id, int value)
    {
        FieldHeader(id, CompactType.I32);
        I32(value);
    }

    public void I16Field(short id, short value)
    {
        FieldHeader(id, CompactType.I16);
        I32(value);
    }

    public void I64Field(short id, long value)
    {
        FieldHeader(id, CompactType.I64);
        I64(value);
    }

    public void BoolField(short id, bool value) => FieldHeader(id, value ? CompactType.BooleanTrue : CompactType.BooleanFalse);

    public void BinaryField(short id, ReadOnlySpan<byte> value)
    {
        FieldHeader(id, CompactType.Binary);
        Binary(value);
    }

    public void StringField(short id, string value)
    {
        FieldHeader(id, CompactType.Binary);
        String(value);
    }

    /// <summary>Field header of a nested struct, then <see cref="StructBegin"/>; close it with <see cref="StructEnd"/>.</summary>
    public void StructFieldBegin(short id)
    {
        FieldHeader(id, CompactType.Struct);
        StructBegin();
    }

    /// <summary>A struct field with no fields of its own (Thrift's empty marker structs).</summary>
    public void EmptyStructField(short id)
    {
        StructFieldBegin(id);
        StructEnd();
    }

    public void ListFieldBegin(short id, byte elementType, int count)
    {
        FieldHeader(id, CompactType.List);
        ListBegin(elementType, count);
    }

    public void ListBegin(byte elementType, int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), $"Expected a list size >= 0, got {count}");
        if (count < 15)
        {
            _out.WriteByte((byte)((count << 4) | elementType));
        }
        else
        {
            _out.WriteByte((byte)(0xF0 | elementType));
            WriteVarint((uint)count);
        }
    }

    public void I32(int value) => WriteVarint(ZigZag(value));

    public void I64(long value) => WriteVarint(ZigZag(value));

    /// <summary>A boolean as a list element: one byte, 1 for true and 2 for false.</summary>
    public void Bool(bool value) => _out.WriteByte(value ? CompactType.BooleanTrue : CompactType.BooleanFalse);

    public void Binary(ReadOnlySpan<byte> value)
    {
        WriteVarint((uint)value.Length);
        _out.Write(value);
    }

    public void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)length);
        var span = _out.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        _out.Advance(length);
    }

    public static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _out.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _out.WriteByte((byte)value);
    }
}
