using IotTelemetry.Parquet.Internal.Thrift;

namespace IotTelemetry.Parquet.Internal.Format;

/// <summary>parquet.thrift FileMetaData: the footer, written after the last row group.</summary>
internal sealed class FileMetaData
{
    public int Version { get; set; } = 1;
    public List<SchemaElement> Schema { get; set; } = [];
    public long NumRows { get; set; }
    public List<RowGroup> RowGroups { get; set; } = [];
    public List<KeyValuePair<string, string?>> KeyValueMetadata { get; set; } = [];
    public string? CreatedBy { get; set; }

    /// <summary>
    /// Whether to write column_orders (one TYPE_ORDER per leaf): required for readers to trust
    /// min_value/max_value.
    /// </summary>
    public int ColumnOrderCount { get; set; }

    public void Write(CompactWriter w)
    {
        w.StructBegin();
        w.I32Field(1, Version);
        w.ListFieldBegin(2, CompactType.Struct, Schema.Count);
        foreach (var element in Schema) element.Write(w);
        w.I64Field(3, NumRows);
        w.ListFieldBegin(4, CompactType.Struct, RowGroups.Count);
        foreach (var group in RowGroups) group.Write(w);
        if (KeyValueMetadata.Count > 0)
        {
            w.ListFieldBegin(5, CompactType.Struct, KeyValueMetadata.Count);
            foreach (var (key, value) in KeyValueMetadata)
            {
                w.StructBegin();
                w.StringField(1, key);
                if (value is not null) w.StringField(2, value);
                w.StructEnd();
            }
        }
        if (CreatedBy is not null) w.StringField(6, CreatedBy);
        if (ColumnOrderCount > 0)
        {
            w.ListFieldBegin(7, CompactType.Struct, ColumnOrderCount);
            for (var i = 0; i < ColumnOrderCount; i++)
            {
                w.StructBegin();
                w.EmptyStructField(1); // TYPE_ORDER: TypeDefinedOrder {}
                w.StructEnd();
            }
        }
        w.StructEnd();
    }

    public static FileMetaData Read(ReadOnlySpan<byte> footer)
    {
        var r = new CompactReader(footer);
        var m = new FileMetaData();
        r.StructBegin();
        while (r.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: m.Version = r.ReadI32(); break;
                case 2 when type == CompactType.List:
                    r.ReadListHeader(out _, out var elements);
                    for (var i = 0; i < elements; i++) m.Schema.Add(SchemaElement.Read(ref r));
                    break;
                case 3 when type == CompactType.I64: m.NumRows = r.ReadI64(); break;
                case 4 when type == CompactType.List:
                    r.ReadListHeader(out _, out var groups);
                    for (var i = 0; i < groups; i++) m.RowGroups.Add(RowGroup.Read(ref r));
                    break;
                case 5 when type == CompactType.List:
                    r.ReadListHeader(out _, out var pairs);
                    for (var i = 0; i < pairs; i++) m.KeyValueMetadata.Add(ReadKeyValue(ref r));
                    break;
                case 6 when type == CompactType.Binary: m.CreatedBy = r.ReadString(); break;
                case 7 when type == CompactType.List:
                    r.ReadListHeader(out var orderType, out var orders);
                    for (var i = 0; i < orders; i++) r.Skip(orderType);
                    m.ColumnOrderCount = orders;
                    break;
                default: r.Skip(type); break;
            }
        }
        r.StructEnd();
        return m;
    }

    private static KeyValuePair<string, string?> ReadKeyValue(ref CompactReader r)
    {
        string key = "";
        string? value = null;
        r.StructBegin();
        while (r.ReadFieldHeader(out var id, out var type))
        {
            if (id == 1 && type == CompactType.Binary) key = r.ReadString();
            else if (id == 2 && type == CompactType.Binary) value = r.ReadString();
            else r.Skip(type);
        }
        r.StructEnd();
        return new(key, value);
    }
}
