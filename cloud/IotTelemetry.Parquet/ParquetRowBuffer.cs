namespace IotTelemetry.Parquet;

/// <summary>
/// One column buffer per schema field: the rows of the next row group. A sink appends each reading's
/// values to the typed columns (fetched once with <see cref="Column{TColumn}(int)"/>), hands the buffer
/// to <see cref="ParquetWriter.WriteRowGroupIfFull"/> or <see cref="ParquetWriter.WriteRowGroup(ParquetRowBuffer)"/>,
/// and reuses it. The reader returns row groups in the same shape.
/// </summary>
public sealed class ParquetRowBuffer
{
    private readonly ParquetColumn[] _columns;

    /// <summary>Creates empty columns for every field of <paramref name="schema"/>.</summary>
    public ParquetRowBuffer(ParquetSchema schema, int initialCapacity = 0)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        Schema = schema;
        _columns = new ParquetColumn[schema.Count];
        for (var i = 0; i < _columns.Length; i++) _columns[i] = ParquetColumn.Create(schema[i], initialCapacity);
    }

    /// <summary>Wraps columns already read (one per field, in order).</summary>
    internal ParquetRowBuffer(ParquetSchema schema, ParquetColumn[] columns)
    {
        Schema = schema;
        _columns = columns;
    }

    /// <summary>The schema the columns follow.</summary>
    public ParquetSchema Schema { get; }

    /// <summary>The columns in schema order.</summary>
    public IReadOnlyList<ParquetColumn> Columns => _columns;

    /// <summary>The number of complete rows: the first column's count (all columns must agree when written).</summary>
    public int RowCount => _columns[0].Count;

    /// <summary>The sum of the columns' estimated uncompressed sizes in bytes.</summary>
    public long EstimatedBytes
    {
        get
        {
            long total = 0;
            foreach (var column in _columns) total += column.EstimatedBytes;
            return total;
        }
    }

    /// <summary>The column at <paramref name="ordinal"/> as its concrete type, e.g. <c>Column&lt;DoubleColumn&gt;(3)</c>.</summary>
    public TColumn Column<TColumn>(int ordinal) where TColumn : ParquetColumn
    {
        if ((uint)ordinal >= (uint)_columns.Length)
            throw new ArgumentOutOfRangeException(nameof(ordinal), $"Expected a column in 0..{_columns.Length - 1}, got {ordinal}");
        return _columns[ordinal] as TColumn
            ?? throw new InvalidCastException($"Column '{_columns[ordinal].Field.Name}' is a {_columns[ordinal].GetType().Name}, not a {typeof(TColumn).Name}");
    }

    /// <summary>The named column as its concrete type.</summary>
    public TColumn Column<TColumn>(string name) where TColumn : ParquetColumn
    {
        var ordinal = Schema.IndexOf(name);
        if (ordinal < 0) throw new ArgumentException($"Expected a column of the schema, got '{name}'", nameof(name));
        return Column<TColumn>(ordinal);
    }

    /// <summary>
    /// Appends every row of <paramref name="source"/>, whose schema must be the same (e.g. row groups read
    /// from several small files, merged into one when compacting).
    /// </summary>
    public void AppendRows(ParquetRowBuffer source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.Schema.SameAs(Schema))
            throw new ArgumentException($"Expected rows of schema ({Schema}), got ({source.Schema})", nameof(source));
        for (var i = 0; i < _columns.Length; i++) _columns[i].AppendFrom(source._columns[i]);
    }

    /// <summary>Removes all rows from every column, keeping capacity.</summary>
    public void Clear()
    {
        foreach (var column in _columns) column.Clear();
    }
}
