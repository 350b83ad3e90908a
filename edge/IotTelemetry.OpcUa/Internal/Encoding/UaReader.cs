using System.Buffers.Binary;

namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>
/// Reads UA Binary (Part 6, 5.2) from a byte range. Every read checks the bytes left and throws
/// <see cref="UaDecodingException"/> saying how many were expected and how many remain.
/// ExtensionObject bodies whose encoding id is in <see cref="KnownTypes"/> are decoded; others are kept as bytes.
/// </summary>
internal sealed partial class UaReader
{
    private readonly ReadOnlyMemory<byte> _data;
    private int _position;

    public UaReader(ReadOnlyMemory<byte> data, IReadOnlyDictionary<uint, Func<UaReader, object>>? knownTypes = null)
    {
        _data = data;
        KnownTypes = knownTypes;
    }

    public IReadOnlyDictionary<uint, Func<UaReader, object>>? KnownTypes { get; }
    public int Position => _position;
    public int Remaining => _data.Length - _position;

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || count > Remaining)
            throw new UaDecodingException($"Expected {count} bytes for {what} at offset {_position} but only {Remaining} remain");
        var span = _data.Span.Slice(_position, count);
        _position += count;
        return span;
    }

    public ReadOnlyMemory<byte> ReadBytes(int count)
    {
        Take(count, "raw bytes");
        return _data.Slice(_position - count, count);
    }

    public bool ReadBoolean() => Take(1, "Boolean")[0] != 0;
    public sbyte ReadSByte() => unchecked((sbyte)Take(1, "SByte")[0]);
    public byte ReadByte() => Take(1, "Byte")[0];
    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2, "Int16"));
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "UInt16"));
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4, "Int32"));
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "UInt32"));
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8, "Int64"));
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "UInt64"));
    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4, "Float"));
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, "Double"));

    public string? ReadString()
    {
        var length = ReadInt32();
        if (length < 0) return null;
        return System.Text.Encoding.UTF8.GetString(Take(length, "String"));
    }

    /// <summary>0 (and negative values) decode as DateTime.MinValue, Int64.MaxValue as DateTime.MaxValue (Part 6, 5.2.2.5).</summary>
    public DateTime ReadDateTime()
    {
        var ticks = ReadInt64();
        if (ticks <= 0) return DateTime.MinValue;
        if (ticks >= DateTime.MaxValue.Ticks - UaDateTime.Epoch.Ticks) return DateTime.MaxValue;
        return new DateTime(UaDateTime.Epoch.Ticks + ticks, DateTimeKind.Utc);
    }

    public Guid ReadGuid() => new(Take(16, "Guid"));

    public byte[]? ReadByteString()
    {
        var length = ReadInt32();
        if (length < 0) return null;
        return Take(length, "ByteString").ToArray();
    }

    public StatusCode ReadStatusCode() => new(ReadUInt32());

    public QualifiedName ReadQualifiedName() => new(ReadUInt16(), ReadString());

    public LocalizedText ReadLocalizedText()
    {
        var mask = ReadByte();
        var locale = (mask & 0x01) != 0 ? ReadString() : null;
        var text = (mask & 0x02) != 0 ? ReadString() : null;
        return new LocalizedText(locale, text);
    }

    /// <summary>An array: Int32 length (-1 is null, decoded as an empty array), then the elements.</summary>
    public T[] ReadArray<T>(Func<UaReader, T> readItem)
    {
        var length = ReadInt32();
        if (length <= 0) return [];
        if (length > Remaining)
            throw new UaDecodingException($"Expected an array of at most {Remaining} elements at offset {_position} but the length says {length}");
        var items = new T[length];
        for (var i = 0; i < length; i++) items[i] = readItem(this);
        return items;
    }
}
