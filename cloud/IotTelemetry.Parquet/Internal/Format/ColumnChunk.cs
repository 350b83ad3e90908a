using IotTelemetry.Parquet.Internal.Thrift;

namespace IotTelemetry.Parquet.Internal.Format;

/// <summary>parquet.thrift ColumnChunk: the chunk's start offset and its metadata, kept in the footer.</summary>
internal sealed class ColumnChunk
{
    public long FileOffset { get; set; }
    public ColumnMetaData MetaData { get; set; } = new();

    public void Write(CompactWriter w)
    {
        w.StructBegin();
        w.I64Field(2, FileOffset);
        w.FieldHeader(3, CompactType.Struct);
        MetaData.Write(w);
        w.StructEnd();
    }

    public static ColumnChunk Read(ref CompactReader r)
    {
        var c = new ColumnChunk();
        var sawMeta = false;
        r.StructBegin();
        while (r.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.Binary:
                    throw new ParquetFormatException($"Expected column data in the same file, got a column chunk in '{r.ReadString()}'");
                case 2 when type == CompactType.I64: c.FileOffset = r.ReadI64(); break;
                case 3 when type == CompactType.Struct:
                    c.MetaData = ColumnMetaData.Read(ref r);
                    sawMeta = true;
                    break;
                default: r.Skip(type); break;
            }
        }
        r.StructEnd();
        if (!sawMeta) throw new ParquetFormatException("Expected ColumnChunk.meta_data (field 3), got a chunk without it");
        return c;
    }
}
