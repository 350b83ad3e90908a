namespace IotTelemetry.Parquet.Internal.Encodings;

/// <summary>
/// The distinct strings of one column chunk, in first-seen order, with their PLAIN encoding (the body of
/// the dictionary page) and the smallest and largest value in UTF-8 order. Reused across row groups.
/// </summary>
internal sealed class StringDictionary : IDisposable
{
    private readonly Dictionary<string, int> _map = new(StringComparer.Ordinal);
    private readonly PooledBuffer _plain = new();

    public int Count => _map.Count;

    /// <summary>The dictionary page body: each value as a 4-byte length and its UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> PlainBytes => _plain.WrittenSpan;

    public string? Min { get; private set; }

    public string? Max { get; private set; }

    /// <summary>
    /// Assigns an index to every non-null value, in row order, into <paramref name="indices"/>. Returns false
    /// (and leaves the dictionary unusable until the next build) when the PLAIN size passes
    /// <paramref name="limitBytes"/>.
    /// </summary>
    public bool TryBuild(ReadOnlySpan<string?> values, int limitBytes, Span<int> indices)
    {
        _map.Clear();
        _plain.Reset();
        Min = null;
        Max = null;
        string? last = null;
        var lastIndex = -1;
        var n = 0;
        foreach (var value in values)
        {
            if (value is null) continue;
            if (!ReferenceEquals(value, last))
            {
                if (!_map.TryGetValue(value, out lastIndex))
                {
                    lastIndex = _map.Count;
                    _map.Add(value, lastIndex);
                    PlainEncoder.WriteString(value, _plain);
                    if (_plain.Length > limitBytes) return false;
                    if (Min is null || Utf8Order.Compare(value, Min) < 0) Min = value;
                    if (Max is null || Utf8Order.Compare(value, Max) > 0) Max = value;
                }
                last = value;
            }
            indices[n++] = lastIndex;
        }
        return true;
    }

    /// <summary>Drops the strings (so they can be collected) but keeps the allocated tables.</summary>
    public void Reset()
    {
        _map.Clear();
        Min = null;
        Max = null;
    }

    public void Dispose() => _plain.Dispose();
}
