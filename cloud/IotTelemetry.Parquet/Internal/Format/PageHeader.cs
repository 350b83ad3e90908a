using IotTelemetry.Parquet.Internal.Thrift;

namespace IotTelemetry.Parquet.Internal.Format;

/// <summary>
/// parquet.thrift PageHeader with its DataPageHeader (v1) or DictionaryPageHeader, flattened into one
/// object: <see cref="NumValues"/> and <see cref="Encoding"/> belong to whichever of the two is present.
/// </summary>
internal sealed class PageHeader
{
    public PageType Type { get; set; }
    public int UncompressedPageSize { get; set; }
    public int CompressedPageSize { get; set; }
    public int NumValues { get; set; }
    public PageEncoding Encoding { get; set; }
    public PageEncoding DefinitionLevelEncoding { get; set; } = PageEncoding.Rle;
    public PageEncoding RepetitionLevelEncoding { get; set; } = PageEncoding.Rle;

    public void Write(CompactWriter w)
    {
        w.StructBegin();
        w.I32Field(1, (int)Type);
        w.I32Field(2, UncompressedPageSize);
        w.I32Field(3, CompressedPageSize);
        if (Type == PageType.DataPage)
        {
            w.StructFieldBegin(5);
            w.I32Field(1, NumValues);
            w.I32Field(2, (int)Encoding);
            w.I32Field(3, (int)DefinitionLevelEncoding);
            w.I32Field(4, (int)RepetitionLevelEncoding);
            w.StructEnd();
        }
        else if (Type == PageType.DictionaryPage)
        {
            w.StructFieldBegin(7);
            w.I32Field(1, NumValues);
            w.I32Field(2, (int)Encoding);
            w.StructEnd();
        }
        w.StructEnd();
    }

    public static PageHeader Read(ref CompactReader r)
    {
        var h = new PageHeader();
        r.StructBegin();
        while (r.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: h.Type = (PageType)r.ReadI32(); break;
                case 2 when type == CompactType.I32: h.UncompressedPageSize = r.ReadI32(); break;
                case 3 when type == CompactType.I32: h.CompressedPageSize = r.ReadI32(); break;
                case 5 when type == CompactType.Struct: ReadInner(ref r, h, dataPage: true); break;
                case 7 when type == CompactType.Struct: ReadInner(ref r, h, dataPage: false); break;
                default: r.Skip(type); break;
            }
        }
        r.StructEnd();
        return h;
    }

    private static void ReadInner(ref CompactReader r, PageHeader h, bool dataPage)
    {
        r.StructBegin();
        while (r.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: h.NumValues = r.ReadI32(); break;
                case 2 when type == CompactType.I32: h.Encoding = (PageEncoding)r.ReadI32(); break;
                case 3 when dataPage && type == CompactType.I32: h.DefinitionLevelEncoding = (PageEncoding)r.ReadI32(); break;
                case 4 when dataPage && type == CompactType.I32: h.RepetitionLevelEncoding = (PageEncoding)r.ReadI32(); break;
                default: r.Skip(type); break;
            }
        }
        r.StructEnd();
    }
}
