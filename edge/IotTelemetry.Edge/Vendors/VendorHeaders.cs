using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;

namespace IotTelemetry.Edge.Vendors;

/// <summary>
/// Headers of every curated record: the source offset that produced it, its rank among the records of that
/// offset, where a replay must start to rebuild the open windows, and the policy version. The last record of
/// a vendor partition is all a restarted curator needs to continue without a gap or a duplicate.
/// </summary>
public static class VendorHeaders
{
    public const string Vendor = "iott-vendor";
    public const string Trigger = LineageHeaders.MirrorSourceOffset; // one name and encoding (big-endian int64) for "the source offset behind this record"
    public const string Sequence = "iott-seq";
    public const string ReplayFrom = "iott-replay-from";
    public const string Policy = "iott-policy";

    public static Headers Create(string vendor, ResumeMark mark)
    {
        var headers = new Headers
        {
            { Vendor, Encoding.UTF8.GetBytes(vendor) },
            { Trigger, Int64(mark.Trigger) },
            { Sequence, Int64(mark.Sequence) },
            { ReplayFrom, Int64(mark.ReplayFrom) },
            { Policy, Encoding.UTF8.GetBytes(mark.PolicyVersion) },
        };
        return headers;
    }

    /// <summary>The mark of a record written by the curator of <paramref name="vendor"/>, or null for any other record.</summary>
    public static ResumeMark? TryRead(Headers? headers, string vendor)
    {
        if (headers is null) return null;
        if (!headers.TryGetLastBytes(Vendor, out var v) || Encoding.UTF8.GetString(v) != vendor) return null;
        if (!TryInt64(headers, Trigger, out var trigger) || !TryInt64(headers, Sequence, out var seq) ||
            !TryInt64(headers, ReplayFrom, out var replayFrom) || !headers.TryGetLastBytes(Policy, out var policy))
            return null;
        return new ResumeMark(trigger, (int)seq, replayFrom, Encoding.UTF8.GetString(policy));
    }

    private static byte[] Int64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static bool TryInt64(Headers headers, string key, out long value)
    {
        value = 0;
        if (!headers.TryGetLastBytes(key, out var bytes) || bytes.Length != 8) return false;
        value = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return true;
    }
}
