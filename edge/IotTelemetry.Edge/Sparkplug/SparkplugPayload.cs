using System.Text;
using IotTelemetry.Edge.Sparkplug.Internal;

namespace IotTelemetry.Edge.Sparkplug;

/// <summary>
/// A Sparkplug B payload (Eclipse Sparkplug 3.0, <c>sparkplug_b.proto</c>): the fields this pipeline uses, decoded
/// from the protobuf wire format. Field numbers: Payload {timestamp 1, metrics 2, seq 3}; Metric {name 1, alias 2,
/// timestamp 3, datatype 4, is_null 7, properties 9, int_value 10, long_value 11, float_value 12, double_value 13,
/// boolean_value 14}; PropertySet {keys 1, values 2}; PropertyValue {type 1, int_value 3, long_value 4}.
/// </summary>
public sealed record SparkplugPayload(ulong? TimestampMillis, ulong? Seq, IReadOnlyList<SparkplugMetric> Metrics)
{
    // Sparkplug data types (Metric.datatype).
    private const uint Int8 = 1, Int16 = 2, Int32 = 3, Int64 = 4, UInt8 = 5, UInt16 = 6, UInt32 = 7, UInt64 = 8,
        Float = 9, Double = 10, Boolean = 11;

    /// <exception cref="FormatException">The bytes are not a well-formed Sparkplug B payload.</exception>
    /// <summary>Protobuf strings must be UTF-8: invalid bytes fail decoding (bad_sparkplug) instead of becoming U+FFFD.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static SparkplugPayload Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        ulong? timestamp = null, seq = null;
        var metrics = new List<SparkplugMetric>();
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 1 when wire == 0: timestamp = reader.ReadVarint(); break;
                case 2 when wire == 2: metrics.Add(DecodeMetric(reader.ReadBytes())); break;
                case 3 when wire == 0: seq = reader.ReadVarint(); break;
                default: reader.Skip(wire); break;
            }
        }
        return new SparkplugPayload(timestamp, seq, metrics);
    }

    private static SparkplugMetric DecodeMetric(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        string? name = null;
        ulong? alias = null, timestamp = null;
        uint dataType = 0;
        var isNull = false;
        ulong? intBits = null;
        double? floating = null;
        bool? boolean = null;
        int? quality = null;
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 1 when wire == 2: name = StrictUtf8.GetString(reader.ReadBytes()); break;
                case 2 when wire == 0: alias = reader.ReadVarint(); break;
                case 3 when wire == 0: timestamp = reader.ReadVarint(); break;
                case 4 when wire == 0: dataType = (uint)reader.ReadVarint(); break;
                case 7 when wire == 0: isNull = reader.ReadVarint() != 0; break;
                case 9 when wire == 2: quality = DecodeQuality(reader.ReadBytes()); break;
                case 10 when wire == 0: intBits = reader.ReadVarint() & 0xFFFF_FFFF; break;
                case 11 when wire == 0: intBits = reader.ReadVarint(); break;
                case 12 when wire == 5: floating = BitConverter.UInt32BitsToSingle(reader.ReadFixed32()); break;
                case 13 when wire == 1: floating = BitConverter.UInt64BitsToDouble(reader.ReadFixed64()); break;
                case 14 when wire == 0: boolean = reader.ReadVarint() != 0; break;
                default: reader.Skip(wire); break;
            }
        }
        double? value = isNull ? null : dataType switch
        {
            Int8 => intBits is { } b ? (sbyte)(byte)b : null,
            Int16 => intBits is { } b ? (short)(ushort)b : null,
            Int32 => intBits is { } b ? (int)(uint)b : null,
            Int64 => intBits is { } b ? (long)b : null,
            UInt8 or UInt16 or UInt32 or UInt64 => intBits,
            Float or Double => floating,
            Boolean => boolean is { } v ? (v ? 1 : 0) : null,
            _ => null,
        };
        return new SparkplugMetric(name, alias, timestamp, dataType, isNull, value, quality);
    }

    /// <summary>The "Quality" property (OPC-style: 192 good, 64 uncertain, 0 bad), when the metric carries one.</summary>
    private static int? DecodeQuality(ReadOnlySpan<byte> propertySet)
    {
        var reader = new ProtoReader(propertySet);
        var keys = new List<string>();
        var values = new List<int?>();
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2) keys.Add(StrictUtf8.GetString(reader.ReadBytes()));
            else if (field == 2 && wire == 2)
            {
                var value = new ProtoReader(reader.ReadBytes());
                int? number = null;
                while (!value.End)
                {
                    var (f, w) = value.ReadTag();
                    if ((f == 3 || f == 4) && w == 0) number = (int)value.ReadVarint();
                    else value.Skip(w);
                }
                values.Add(number);
            }
            else reader.Skip(wire);
        }
        var index = keys.FindIndex(k => k.Equals("Quality", StringComparison.OrdinalIgnoreCase));
        return index >= 0 && index < values.Count ? values[index] : null;
    }
}
