namespace IotTelemetry.Parquet.Internal.Format;

/// <summary>Between <see cref="ParquetSchema"/> and the footer's flattened schema elements (a root and one leaf per field).</summary>
internal static class SchemaMapping
{
    public const string RootName = "schema";

    public static List<SchemaElement> ToElements(ParquetSchema schema)
    {
        var elements = new List<SchemaElement>(schema.Count + 1)
        {
            new() { Name = RootName, NumChildren = schema.Count },
        };
        foreach (var field in schema.Fields) elements.Add(ToElement(field));
        return elements;
    }

    private static SchemaElement ToElement(ParquetField field)
    {
        var e = new SchemaElement
        {
            Name = field.Name,
            Repetition = field.IsNullable ? FieldRepetition.Optional : FieldRepetition.Required,
        };
        switch (field.Type)
        {
            case ParquetColumnType.Timestamp:
                e.Type = PhysicalType.Int64;
                e.Converted = ConvertedType.TimestampMicros;
                e.Logical = LogicalKind.Timestamp;
                e.TimestampAdjustedToUtc = true;
                e.TimestampUnit = TimeUnit.Micros;
                break;
            case ParquetColumnType.Double: e.Type = PhysicalType.Double; break;
            case ParquetColumnType.Boolean: e.Type = PhysicalType.Boolean; break;
            case ParquetColumnType.Int32: e.Type = PhysicalType.Int32; break;
            case ParquetColumnType.Int64: e.Type = PhysicalType.Int64; break;
            case ParquetColumnType.String:
                e.Type = PhysicalType.ByteArray;
                e.Converted = ConvertedType.Utf8;
                e.Logical = LogicalKind.String;
                break;
        }
        return e;
    }

    /// <summary>Reads a flat schema back; throws for nesting or types this library does not map.</summary>
    public static ParquetSchema FromElements(List<SchemaElement> elements)
    {
        if (elements.Count < 2)
            throw new ParquetFormatException($"Expected a schema root and at least one column, got {elements.Count} schema elements");
        var root = elements[0];
        if (root.NumChildren != elements.Count - 1)
            throw new ParquetFormatException($"Expected a flat schema whose root has {elements.Count - 1} children, got {root.NumChildren?.ToString() ?? "none"}");
        var fields = new List<ParquetField>(elements.Count - 1);
        for (var i = 1; i < elements.Count; i++) fields.Add(ToField(elements[i]));
        return new ParquetSchema(fields);
    }

    private static ParquetField ToField(SchemaElement e)
    {
        if (e.NumChildren is > 0 || e.Type is null)
            throw new ParquetFormatException($"Expected a primitive column, got group '{e.Name}'");
        if (e.Repetition == FieldRepetition.Repeated)
            throw new ParquetFormatException($"Expected REQUIRED or OPTIONAL for '{e.Name}', got REPEATED");
        var nullable = e.Repetition != FieldRepetition.Required;
        var type = e.Type switch
        {
            PhysicalType.Int64 when IsMicrosTimestamp(e) => ParquetColumnType.Timestamp,
            PhysicalType.Int64 when e.Logical == LogicalKind.Timestamp || e.Converted == ConvertedType.TimestampMillis =>
                throw new ParquetFormatException($"Expected TIMESTAMP(MICROS) for '{e.Name}', got unit {e.TimestampUnit} / converted type {e.ConvertedRaw}"),
            PhysicalType.Int64 => ParquetColumnType.Int64,
            PhysicalType.Int32 => ParquetColumnType.Int32,
            PhysicalType.Double => ParquetColumnType.Double,
            PhysicalType.Boolean => ParquetColumnType.Boolean,
            PhysicalType.ByteArray => ParquetColumnType.String,
            _ => throw new ParquetFormatException($"Expected BOOLEAN, INT32, INT64, DOUBLE or BYTE_ARRAY for '{e.Name}', got physical type {(int)e.Type}"),
        };
        return new ParquetField(e.Name, type, nullable);
    }

    private static bool IsMicrosTimestamp(SchemaElement e) =>
        e.Logical == LogicalKind.Timestamp
            ? e.TimestampUnit == TimeUnit.Micros
            : e.Converted == ConvertedType.TimestampMicros;

    /// <summary>The physical type a field is stored as.</summary>
    public static PhysicalType PhysicalOf(ParquetColumnType type) => type switch
    {
        ParquetColumnType.Timestamp or ParquetColumnType.Int64 => PhysicalType.Int64,
        ParquetColumnType.Int32 => PhysicalType.Int32,
        ParquetColumnType.Double => PhysicalType.Double,
        ParquetColumnType.Boolean => PhysicalType.Boolean,
        _ => PhysicalType.ByteArray,
    };
}
