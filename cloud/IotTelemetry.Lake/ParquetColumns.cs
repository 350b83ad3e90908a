using ParquetSharp;

namespace IotTelemetry.Lake;

/// <summary>
/// Reads one whole column chunk of a row group: the sink's own read-back (<see cref="LakeFileReader"/>) and the Flight
/// endpoint, which reads any dataset's columns, read them the same way.
/// </summary>
public static class ParquetColumns
{
    /// <summary>The <paramref name="n"/> values of a fixed-width column; timestamps as their INT64 microseconds, nullable <typeparamref name="T"/> for optional columns.</summary>
    public static T[] Values<T>(RowGroupReader group, int column, int n)
    {
        ArgumentNullException.ThrowIfNull(group);
        using var reader = group.Column(column);
        using var logical = reader.LogicalReaderOverride<T>();
        return logical.ReadAll(n);
    }

    /// <summary>The <paramref name="n"/> values of a string column.</summary>
    public static string[] Strings(RowGroupReader group, int column, int n)
    {
        ArgumentNullException.ThrowIfNull(group);
        using var reader = group.Column(column);
        using var logical = reader.LogicalReader<string>();
        return logical.ReadAll(n);
    }
}
