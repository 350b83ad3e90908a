using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;

namespace IotTelemetry.Edge.Mirror;

/// <summary>
/// Headers the mirror adds to every record it copies to the cloud: who copied it and from which edge
/// offset. The last such record in a cloud partition tells a restarted mirror exactly where to resume.
/// </summary>
public static class MirrorHeaders
{
    /// <summary>UTF-8 id of the mirror link: <c>{mirrorId}:{sourceTopic}</c>.</summary>
    public const string Link = LineageHeaders.MirrorLink;

    /// <summary>Big-endian int64 offset of the record in the edge partition of the same number.</summary>
    public const string SourceOffset = LineageHeaders.MirrorSourceOffset;

    public static void Add(Headers headers, byte[] linkId, long offset)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, offset);
        headers.Add(Link, linkId);
        headers.Add(SourceOffset, bytes);
    }

    /// <summary>The source offset if the record was copied by <paramref name="linkId"/>.</summary>
    public static bool TryRead(Headers? headers, ReadOnlySpan<byte> linkId, out long offset)
    {
        offset = -1;
        if (headers is null) return false;
        if (!headers.TryGetLastBytes(Link, out var link) || !linkId.SequenceEqual(link)) return false;
        if (!headers.TryGetLastBytes(SourceOffset, out var o) || o.Length != 8) return false;
        offset = BinaryPrimitives.ReadInt64BigEndian(o);
        return true;
    }

    public static byte[] LinkId(string mirrorId, string sourceTopic) => Encoding.UTF8.GetBytes(mirrorId + ":" + sourceTopic);
}
