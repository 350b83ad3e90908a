namespace IotTelemetry.Parquet;

/// <summary>
/// A column of fixed-width values kept in one array indexed by row; for a nullable field a parallel
/// array marks which rows hold a value. Appending does not box or allocate beyond doubling the arrays.
/// </summary>
/// <typeparam name="T">The stored value type.</typeparam>
public abstract class ParquetValueColumn<T> : ParquetColumn where T : unmanaged
{
    private T[] _values;
    private byte[]? _defined; // 1 = value, 0 = null; exactly the definition levels of the rows

    private protected ParquetValueColumn(ParquetField field, ParquetColumnType expected, int capacity) : base(field, expected)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _values = capacity == 0 ? [] : new T[capacity];
        if (field.IsNullable) _defined = capacity == 0 ? [] : new byte[capacity];
    }

    /// <summary>The values by row; entries of null rows hold <c>default</c>.</summary>
    public ReadOnlySpan<T> Values => _values.AsSpan(0, Count);

    /// <summary>The row's value (<c>default</c> for a null row).</summary>
    public T this[int row]
    {
        get
        {
            CheckRow(row);
            return _values[row];
        }
    }

    /// <summary>Appends a value.</summary>
    public void Add(T value)
    {
        var count = Count;
        if (count == _values.Length) Grow(count + 1);
        _values[count] = value;
        if (_defined is not null) _defined[count] = 1;
        Count = count + 1;
    }

    /// <summary>Appends a value or, for null, a null (nullable fields only).</summary>
    public void Add(T? value)
    {
        if (value.HasValue) Add(value.GetValueOrDefault());
        else AddNull();
    }

    /// <summary>Appends a null; throws <see cref="InvalidOperationException"/> for a required field.</summary>
    public void AddNull()
    {
        if (_defined is null) throw NullNotAllowed();
        var count = Count;
        if (count == _values.Length) Grow(count + 1);
        _values[count] = default;
        _defined[count] = 0;
        Count = count + 1;
        NullCount++;
    }

    /// <summary>Appends all values (none null).</summary>
    public void AddRange(ReadOnlySpan<T> values)
    {
        var count = Count;
        if (count + values.Length > _values.Length) Grow(count + values.Length);
        values.CopyTo(_values.AsSpan(count));
        _defined?.AsSpan(count, values.Length).Fill(1);
        Count = count + values.Length;
    }

    /// <inheritdoc />
    public override void AppendFrom(ParquetColumn source)
    {
        var from = SameType<ParquetValueColumn<T>>(source);
        if (from.GetType() != GetType())
            throw new ArgumentException($"Expected a {GetType().Name} to append to '{Field.Name}', got a {from.GetType().Name}", nameof(source));
        if (from.NullCount == 0)
        {
            AddRange(from.Values);
            return;
        }
        EnsureCapacity(Count + from.Count);
        var values = from.Values;
        var defined = from.DefinedLevels;
        for (var i = 0; i < values.Length; i++)
        {
            if (defined[i] != 0) Add(values[i]);
            else AddNull();
        }
    }

    /// <summary>The row's value, or null.</summary>
    public T? GetValueOrNull(int row)
    {
        CheckRow(row);
        return _defined is not null && _defined[row] == 0 ? null : _values[row];
    }

    /// <inheritdoc />
    public override bool IsNull(int row)
    {
        CheckRow(row);
        return _defined is not null && _defined[row] == 0;
    }

    /// <inheritdoc />
    public override object? GetBoxed(int row) => IsNull(row) ? null : _values[row];

    /// <inheritdoc />
    public override long EstimatedBytes => (long)Count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    /// <inheritdoc />
    public override void Clear()
    {
        Count = 0;
        NullCount = 0;
    }

    /// <summary>The definition levels by row (1 value, 0 null); empty for a required field.</summary>
    internal ReadOnlySpan<byte> DefinedLevels => _defined is null ? default : _defined.AsSpan(0, Count);

    internal void EnsureCapacity(int capacity)
    {
        if (capacity > _values.Length) Grow(capacity);
    }

    private void Grow(int needed)
    {
        var size = (int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(16L, _values.Length * 2L)));
        Array.Resize(ref _values, size);
        if (_defined is not null) Array.Resize(ref _defined, size);
    }
}
