namespace IotTelemetry.Parquet;

/// <summary>One column of a flat schema.</summary>
/// <param name="Name">The column name as readers see it; unique within the schema.</param>
/// <param name="Type">The value type.</param>
/// <param name="IsNullable">
/// True for an OPTIONAL column (nulls allowed, definition levels written); false for REQUIRED.
/// </param>
public sealed record ParquetField(string Name, ParquetColumnType Type, bool IsNullable = false)
{
    /// <summary>The column's text, e.g. <c>value: Double?</c>.</summary>
    public override string ToString() => $"{Name}: {Type}{(IsNullable ? "?" : "")}";
}
