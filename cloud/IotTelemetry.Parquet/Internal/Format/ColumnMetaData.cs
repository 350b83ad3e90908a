using IotTelemetry.Parquet.Internal.Thrift;

namespace IotTelemetry.Parquet.Internal.Format;

/// <summary>parquet.thrift ColumnMetaData: where a column chunk's pages are and what they hold.</summary>
internal sealed class ColumnMetaData
{
    public PhysicalType Type { get; set; }
    public List<PageEncoding> Encodings { get; set; } = [];
    public List<string> PathInSchema { get; set; } = [];
    public CompressionCodec Codec { get; set; }
    public long NumValues { get; set; }
    public long TotalUncompressedSize { get; set; }
    public long TotalCompressedSize { get; set; }
    public long DataPageOffset { get; set; }
    public long? DictionaryPageOffset { get; set; }
    public Statistics? Statistics { get; set; }

    public void Write(CompactWriter w)
    {
        w.StructBegin();
        w.I32Field(1, (int)Type);
        w.ListFieldBegin(2, CompactType.I32, Encodings.Count);
        foreach (var encoding in Encodings) w.I32((int)encoding);
        w.ListFieldBegin(3, CompactType.Binary, PathInSchema.Count);
        foreach (var part in PathInSchema) w.String(part);
        w.I32Field(4, (int)Codec);
        w.I64Field(5, NumValues);
        w.I64Field(6, TotalUncompressedSize);
        w.I64Field(7, TotalCompressedSize);
        w.I64Field(9, DataPageOffset);
        if (DictionaryPageOffset is { } dictionaryOffset) w.I64Field(11, dictionaryOffset);
        if (Statistics is not null)
        {
            w.FieldHeader(12, CompactType.Struct);
            Statistics.Write(w);
        }
        w.StructEnd();
    }

    public static ColumnMetaData Read(ref CompactReader r)
    {
        var m = new ColumnMetaData();
        r.StructBegin();
        while (r.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: m.Type = (PhysicalType)r.ReadI32(); break;
                case 2 when type == CompactType.List:
                    r.ReadListHeader(out _, out var encodings);
                    for (var i = 0; i < encodings; i++) m.Encodings.Add((PageEncoding)r.ReadI32());
                    break;
                case 3 when type == CompactType.List:
                    r.ReadListHeader(out _, out var parts);
                    for (var i = 0; i < parts; i++) m.PathInSchema.Add(r.ReadString());
                    break;
                case 4 when type == CompactType.I32: m.Codec = (CompressionCodec)r.ReadI32(); break;
                case 5 when type == CompactType.I64: m.NumValues = r.ReadI64(); break;
                case 6 when type == CompactType.I64: m.TotalUncompressedSize = r.ReadI64(); break;
                case 7 when type == CompactType.I64: m.TotalCompressedSize = r.ReadI64(); break;
                case 9 when type == CompactType.I64: m.DataPageOffset = r.ReadI64(); break;
                case 11 when type == CompactType.I64: m.DictionaryPageOffset = r.ReadI64(); break;
                case 12 when type == CompactType.Struct: m.Statistics = Statistics.Read(ref r); break;
                default: r.Skip(type); break;
            }
        }
        r.StructEnd();
        return m;
    }
}
