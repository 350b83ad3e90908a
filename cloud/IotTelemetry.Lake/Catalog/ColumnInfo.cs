using ParquetSharp;

namespace IotTelemetry.Lake.Catalog;

/// <summary>One column of a dataset's schema as the catalog states it: Parquet physical and logical type, required or not.</summary>
public sealed record ColumnInfo(string Name, string PhysicalType, string LogicalType, bool Required)
{
    public static ColumnInfo Of(ColumnDescriptor column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var logical = column.LogicalType switch
        {
            TimestampLogicalType t => $"TIMESTAMP({t.TimeUnit.ToString().ToUpperInvariant()}, UTC={(t.IsAdjustedToUtc ? "true" : "false")})",
            StringLogicalType => "STRING",
            { Type: LogicalTypeEnum.None } => "",
            var other => other.Type.ToString().ToUpperInvariant(),
        };
        return new(column.Name, Spelled(column.PhysicalType), logical, column.MaxDefinitionLevel == 0);
    }

    /// <summary>A type as the Parquet specification spells it: <c>ByteArray</c> as <c>BYTE_ARRAY</c>.</summary>
    private static string Spelled(PhysicalType type) =>
        System.Text.RegularExpressions.Regex.Replace(type.ToString(), "(?<=[a-z0-9])(?=[A-Z])", "_").ToUpperInvariant();

    public bool IsTimestamp => LogicalType.StartsWith("TIMESTAMP", StringComparison.Ordinal);
}
