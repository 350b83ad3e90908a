namespace IotTelemetry.Parquet;

/// <summary>
/// A column of strings (<see cref="ParquetColumnType.String"/>), written as UTF-8 with dictionary
/// encoding when the distinct values are few enough. A null entry is a null row.
/// </summary>
public sealed class StringColumn : ParquetColumn
{
    private string?[] _values;
    private long _chars;

    /// <summary>Creates an empty buffer for <paramref name="field"/>, which must be of type String.</summary>
    public StringColumn(ParquetField field, int capacity = 0) : base(field, ParquetColumnType.String)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _values = capacity == 0 ? [] : new string?[capacity];
    }

    /// <summary>The values by row; null entries are null rows.</summary>
    public ReadOnlySpan<string?> Values => _values.AsSpan(0, Count);

    /// <summary>The row's value, or null.</summary>
    public string? this[int row]
    {
        get
        {
            CheckRow(row);
            return _values[row];
        }
    }

    /// <summary>Appends a value; null appends a null (nullable fields only, else <see cref="InvalidOperationException"/>).</summary>
    public void Add(string? value)
    {
        if (value is null)
        {
            if (!Field.IsNullable) throw NullNotAllowed();
            NullCount++;
        }
        else
        {
            _chars += value.Length;
        }
        var count = Count;
        if (count == _values.Length) Grow(count + 1);
        _values[count] = value;
        Count = count + 1;
    }

    /// <inheritdoc />
    public override void AppendFrom(ParquetColumn source)
    {
        var from = SameType<StringColumn>(source);
        if (Count + from.Count > _values.Length) Grow(Count + from.Count);
        foreach (var value in from.Values) Add(value);
    }

    /// <inheritdoc />
    public override bool IsNull(int row) => this[row] is null;

    /// <inheritdoc />
    public override object? GetBoxed(int row) => this[row];

    /// <inheritdoc />
    public override long EstimatedBytes => _chars + 4L * Count;

    /// <inheritdoc />
    public override void Clear()
    {
        Array.Clear(_values, 0, Count); // let the strings be collected
        Count = 0;
        NullCount = 0;
        _chars = 0;
    }

    private void Grow(int needed)
    {
        var size = (int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(16L, _values.Length * 2L)));
        Array.Resize(ref _values, size);
    }
}
