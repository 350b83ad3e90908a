namespace IotTelemetry.Parquet;

/// <summary>
/// A buffer of one column's values, one entry per row, that a row group is written from and read into.
/// The concrete types are <see cref="TimestampColumn"/>, <see cref="DoubleColumn"/>, <see cref="BooleanColumn"/>,
/// <see cref="Int32Column"/>, <see cref="Int64Column"/> and <see cref="StringColumn"/>. A buffer is reused
/// across row groups: <see cref="Clear"/> keeps its capacity.
/// </summary>
public abstract class ParquetColumn
{
    private protected ParquetColumn(ParquetField field, ParquetColumnType expected)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.Type != expected)
            throw new ArgumentException($"Expected a {expected} field for {GetType().Name}, got '{field.Name}' of type {field.Type}", nameof(field));
        Field = field;
    }

    /// <summary>The schema field this column holds.</summary>
    public ParquetField Field { get; }

    /// <summary>The number of rows (values and nulls) in the buffer.</summary>
    public int Count { get; private protected set; }

    /// <summary>The number of nulls among the rows.</summary>
    public int NullCount { get; private protected set; }

    /// <summary>A rough uncompressed size of the buffered values in bytes, for sizing row groups.</summary>
    public abstract long EstimatedBytes { get; }

    /// <summary>True when the row holds no value.</summary>
    public abstract bool IsNull(int row);

    /// <summary>The row's value boxed, or null: for display and tests, not for hot paths.</summary>
    public abstract object? GetBoxed(int row);

    /// <summary>Removes all rows, keeping the allocated capacity.</summary>
    public abstract void Clear();

    /// <summary>
    /// Appends all rows of <paramref name="source"/>, a column of the same type (e.g. read from another file
    /// when compacting). A nullable target takes rows from a required source; the reverse fails on the first null.
    /// </summary>
    public abstract void AppendFrom(ParquetColumn source);

    /// <summary>Creates the empty buffer type that matches the field's type.</summary>
    public static ParquetColumn Create(ParquetField field, int capacity = 0)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Type switch
        {
            ParquetColumnType.Timestamp => new TimestampColumn(field, capacity),
            ParquetColumnType.Double => new DoubleColumn(field, capacity),
            ParquetColumnType.Boolean => new BooleanColumn(field, capacity),
            ParquetColumnType.Int32 => new Int32Column(field, capacity),
            ParquetColumnType.Int64 => new Int64Column(field, capacity),
            ParquetColumnType.String => new StringColumn(field, capacity),
            _ => throw new ArgumentException($"Expected a ParquetColumnType, got {(int)field.Type}", nameof(field)),
        };
    }

    private protected void CheckRow(int row)
    {
        if ((uint)row >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(row), $"Expected a row in 0..{Count - 1}, got {row}");
    }

    private protected TColumn SameType<TColumn>(ParquetColumn source) where TColumn : ParquetColumn
    {
        ArgumentNullException.ThrowIfNull(source);
        return source as TColumn
            ?? throw new ArgumentException($"Expected a {typeof(TColumn).Name} to append to '{Field.Name}', got a {source.GetType().Name} ('{source.Field}')", nameof(source));
    }

    private protected InvalidOperationException NullNotAllowed() =>
        new($"Column '{Field.Name}' is required: expected a value, got null");
}
