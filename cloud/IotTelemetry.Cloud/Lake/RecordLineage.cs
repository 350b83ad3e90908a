using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;

namespace IotTelemetry.Cloud.Lake;

/// <summary>
/// Reads a record's lineage headers (<see cref="LineageHeaders"/>: the edge's mapping rule, the mirror link and edge offset).
/// The strings repeat from record to record, so the last bytes seen and their string are kept: no decoding per record.
/// </summary>
public sealed class RecordLineage
{
    private byte[]? _ruleBytes;
    private string? _rule;
    private byte[]? _linkBytes;
    private string? _link;

    public (string? Rule, string? MirrorLink, long EdgeOffset) Read(Headers? headers)
    {
        if (headers is null) return (null, null, -1);
        var rule = headers.TryGetLastBytes(LineageHeaders.Rule, out var r) ? Decode(r, ref _ruleBytes, ref _rule) : null;
        if (!headers.TryGetLastBytes(LineageHeaders.MirrorLink, out var l) || !headers.TryGetLastBytes(LineageHeaders.MirrorSourceOffset, out var o) || o.Length != 8)
            return (rule, null, -1);
        return (rule, Decode(l, ref _linkBytes, ref _link), BinaryPrimitives.ReadInt64BigEndian(o));
    }

    private static string Decode(byte[] bytes, ref byte[]? lastBytes, ref string? last)
    {
        if (last is not null && bytes.AsSpan().SequenceEqual(lastBytes)) return last;
        lastBytes = bytes;
        return last = Encoding.UTF8.GetString(bytes);
    }
}
