using IotTelemetry.Parquet.Internal.Thrift;

namespace IotTelemetry.Parquet.Internal.Format;

/// <summary>
/// parquet.thrift Statistics. Values are PLAIN-encoded without a length prefix. The legacy min/max
/// (fields 1 and 2, signed order) are written only for types whose order is signed.
/// </summary>
internal sealed class Statistics
{
    public byte[]? LegacyMax { get; set; }
    public byte[]? LegacyMin { get; set; }
    public long? NullCount { get; set; }
    public long? DistinctCount { get; set; }
    public byte[]? MaxValue { get; set; }
    public byte[]? MinValue { get; set; }

    public void Write(CompactWriter w)
    {
        w.StructBegin();
        if (LegacyMax is not null) w.BinaryField(1, LegacyMax);
        if (LegacyMin is not null) w.BinaryField(2, LegacyMin);
        if (NullCount is { } nulls) w.I64Field(3, nulls);
        if (DistinctCount is { } distinct) w.I64Field(4, distinct);
        if (MaxValue is not null) w.BinaryField(5, MaxValue);
        if (MinValue is not null) w.BinaryField(6, MinValue);
        w.StructEnd();
    }

    public static Statistics Read(ref CompactReader r)
    {
        var s = new Statistics();
        r.StructBegin();
        while (r.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.Binary: s.LegacyMax = r.ReadBinary().ToArray(); break;
                case 2 when type == CompactType.Binary: s.LegacyMin = r.ReadBinary().ToArray(); break;
                case 3 when type == CompactType.I64: s.NullCount = r.ReadI64(); break;
                case 4 when type == CompactType.I64: s.DistinctCount = r.ReadI64(); break;
                case 5 when type == CompactType.Binary: s.MaxValue = r.ReadBinary().ToArray(); break;
                case 6 when type == CompactType.Binary: s.MinValue = r.ReadBinary().ToArray(); break;
                default: r.Skip(type); break;
            }
        }
        r.StructEnd();
        return s;
    }
}
