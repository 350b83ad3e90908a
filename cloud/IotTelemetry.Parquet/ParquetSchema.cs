namespace IotTelemetry.Parquet;

/// <summary>A flat Parquet schema: an ordered list of uniquely named fields.</summary>
public sealed class ParquetSchema
{
    private readonly ParquetField[] _fields;
    private readonly Dictionary<string, int> _ordinals;

    /// <summary>Creates a schema; throws when it is empty or a name is blank or repeated.</summary>
    public ParquetSchema(IEnumerable<ParquetField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _fields = [.. fields];
        if (_fields.Length == 0) throw new ArgumentException("Expected at least one field, got none", nameof(fields));
        _ordinals = new Dictionary<string, int>(_fields.Length, StringComparer.Ordinal);
        for (var i = 0; i < _fields.Length; i++)
        {
            var field = _fields[i] ?? throw new ArgumentException($"Expected a field at position {i}, got null", nameof(fields));
            if (string.IsNullOrWhiteSpace(field.Name))
                throw new ArgumentException($"Expected a field name at position {i}, got '{field.Name}'", nameof(fields));
            if (!Enum.IsDefined(field.Type))
                throw new ArgumentException($"Expected a ParquetColumnType for '{field.Name}', got {(int)field.Type}", nameof(fields));
            if (!_ordinals.TryAdd(field.Name, i))
                throw new ArgumentException($"Expected unique field names, got '{field.Name}' twice", nameof(fields));
        }
    }

    /// <summary>Creates a schema from the fields in order.</summary>
    public ParquetSchema(params ParquetField[] fields) : this((IEnumerable<ParquetField>)fields)
    {
    }

    /// <summary>The fields in column order.</summary>
    public IReadOnlyList<ParquetField> Fields => _fields;

    /// <summary>The number of columns.</summary>
    public int Count => _fields.Length;

    /// <summary>The field at <paramref name="ordinal"/>.</summary>
    public ParquetField this[int ordinal] => _fields[ordinal];

    /// <summary>The position of the named field, or -1.</summary>
    public int IndexOf(string name) => _ordinals.TryGetValue(name, out var i) ? i : -1;

    /// <summary>True when both schemas have the same fields in the same order.</summary>
    public bool SameAs(ParquetSchema other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._fields.Length != _fields.Length) return false;
        for (var i = 0; i < _fields.Length; i++)
            if (_fields[i] != other._fields[i]) return false;
        return true;
    }

    /// <summary>The fields as text, e.g. <c>time: Timestamp, value: Double?</c>.</summary>
    public override string ToString() => string.Join(", ", (IEnumerable<ParquetField>)_fields);
}
