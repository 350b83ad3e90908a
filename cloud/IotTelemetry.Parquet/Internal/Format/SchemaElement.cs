using IotTelemetry.Parquet.Internal.Thrift;

namespace IotTelemetry.Parquet.Internal.Format;

/// <summary>parquet.thrift SchemaElement: one node of the depth-first flattened schema tree.</summary>
internal sealed class SchemaElement
{
    public PhysicalType? Type { get; set; }
    public FieldRepetition? Repetition { get; set; }
    public string Name { get; set; } = "";
    public int? NumChildren { get; set; }
    public ConvertedType? Converted { get; set; }
    public int? ConvertedRaw { get; set; }
    public LogicalKind Logical { get; set; }
    public bool TimestampAdjustedToUtc { get; set; }
    public TimeUnit TimestampUnit { get; set; }

    public void Write(CompactWriter w)
    {
        w.StructBegin();
        if (Type is { } type) w.I32Field(1, (int)type);
        if (Repetition is { } repetition) w.I32Field(3, (int)repetition);
        w.StringField(4, Name);
        if (NumChildren is { } children) w.I32Field(5, children);
        if (Converted is { } converted) w.I32Field(6, (int)converted);
        if (Logical == LogicalKind.String)
        {
            w.StructFieldBegin(10);
            w.EmptyStructField(1); // STRING: StringType {}
            w.StructEnd();
        }
        else if (Logical == LogicalKind.Timestamp)
        {
            w.StructFieldBegin(10);
            w.StructFieldBegin(8); // TIMESTAMP: TimestampType
            w.BoolField(1, TimestampAdjustedToUtc);
            w.StructFieldBegin(2); // unit: TimeUnit union
            w.EmptyStructField((short)TimestampUnit);
            w.StructEnd();
            w.StructEnd();
            w.StructEnd();
        }
        w.StructEnd();
    }

    public static SchemaElement Read(ref CompactReader r)
    {
        var e = new SchemaElement();
        r.StructBegin();
        while (r.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: e.Type = (PhysicalType)r.ReadI32(); break;
                case 3 when type == CompactType.I32: e.Repetition = (FieldRepetition)r.ReadI32(); break;
                case 4 when type == CompactType.Binary: e.Name = r.ReadString(); break;
                case 5 when type == CompactType.I32: e.NumChildren = r.ReadI32(); break;
                case 6 when type == CompactType.I32:
                    var raw = r.ReadI32();
                    e.ConvertedRaw = raw;
                    e.Converted = (ConvertedType)raw;
                    break;
                case 10 when type == CompactType.Struct: ReadLogicalType(ref r, e); break;
                default: r.Skip(type); break;
            }
        }
        r.StructEnd();
        return e;
    }

    private static void ReadLogicalType(ref CompactReader r, SchemaElement e)
    {
        r.StructBegin();
        while (r.ReadFieldHeader(out var id, out var type))
        {
            if (id == 1 && type == CompactType.Struct)
            {
                e.Logical = LogicalKind.String;
                r.Skip(type);
            }
            else if (id == 8 && type == CompactType.Struct)
            {
                e.Logical = LogicalKind.Timestamp;
                r.StructBegin();
                while (r.ReadFieldHeader(out var tid, out var ttype))
                {
                    if (tid == 1 && ttype is CompactType.BooleanTrue or CompactType.BooleanFalse)
                    {
                        e.TimestampAdjustedToUtc = CompactReader.BoolFromFieldType(ttype);
                    }
                    else if (tid == 2 && ttype == CompactType.Struct)
                    {
                        r.StructBegin();
                        while (r.ReadFieldHeader(out var unit, out var utype))
                        {
                            e.TimestampUnit = (TimeUnit)unit;
                            r.Skip(utype);
                        }
                        r.StructEnd();
                    }
                    else
                    {
                        r.Skip(ttype);
                    }
                }
                r.StructEnd();
            }
            else
            {
                e.Logical = LogicalKind.Other;
                r.Skip(type);
            }
        }
        r.StructEnd();
    }
}
