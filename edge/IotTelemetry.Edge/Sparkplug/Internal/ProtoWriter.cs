using System.Buffers;
using System.Text;

namespace IotTelemetry.Edge.Sparkplug.Internal;

/// <summary>Writes the protobuf wire format: varint and length-delimited fields (what a command payload needs).</summary>
internal sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _out = new(64);

    public ReadOnlySpan<byte> Written => _out.WrittenSpan;

    public void WriteVarint(int field, ulong value)
    {
        Tag(field, 0);
        Varint(value);
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteMessage(int field, ProtoWriter message) => WriteBytes(field, message.Written);

    private void WriteBytes(int field, ReadOnlySpan<byte> bytes)
    {
        Tag(field, 2);
        Varint((ulong)bytes.Length);
        _out.Write(bytes);
    }

    private void Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    private void Varint(ulong value)
    {
        var span = _out.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        _out.Advance(n);
    }
}
