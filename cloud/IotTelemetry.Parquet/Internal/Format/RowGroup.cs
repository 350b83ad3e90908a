using IotTelemetry.Parquet.Internal.Thrift;

namespace IotTelemetry.Parquet.Internal.Format;

/// <summary>parquet.thrift RowGroup: one column chunk per leaf column, in schema order.</summary>
internal sealed class RowGroup
{
    public List<ColumnChunk> Columns { get; set; } = [];
    public long TotalByteSize { get; set; }
    public long NumRows { get; set; }
    public long? FileOffset { get; set; }
    public long? TotalCompressedSize { get; set; }
    public short? Ordinal { get; set; }

    public void Write(CompactWriter w)
    {
        w.StructBegin();
        w.ListFieldBegin(1, CompactType.Struct, Columns.Count);
        foreach (var column in Columns) column.Write(w);
        w.I64Field(2, TotalByteSize);
        w.I64Field(3, NumRows);
        if (FileOffset is { } offset) w.I64Field(5, offset);
        if (TotalCompressedSize is { } compressed) w.I64Field(6, compressed);
        if (Ordinal is { } ordinal) w.I16Field(7, ordinal);
        w.StructEnd();
    }

    public static RowGroup Read(ref CompactReader r)
    {
        var g = new RowGroup();
        r.StructBegin();
        while (r.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.List:
                    r.ReadListHeader(out _, out var count);
                    for (var i = 0; i < count; i++) g.Columns.Add(ColumnChunk.Read(ref r));
                    break;
                case 2 when type == CompactType.I64: g.TotalByteSize = r.ReadI64(); break;
                case 3 when type == CompactType.I64: g.NumRows = r.ReadI64(); break;
                case 5 when type == CompactType.I64: g.FileOffset = r.ReadI64(); break;
                case 6 when type == CompactType.I64: g.TotalCompressedSize = r.ReadI64(); break;
                case 7 when type == CompactType.I16: g.Ordinal = (short)r.ReadI32(); break;
                default: r.Skip(type); break;
            }
        }
        r.StructEnd();
        return g;
    }
}
