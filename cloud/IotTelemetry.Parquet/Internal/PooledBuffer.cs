using System.Buffers;

namespace IotTelemetry.Parquet.Internal;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>: pages, page headers and the
/// footer are assembled in one before they go to the output stream. Reset keeps the rented array.
/// </summary>
internal sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _length;

    public PooledBuffer(int initialCapacity = 4096) => _array = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _length);

    public void Reset() => _length = 0;

    public void WriteByte(byte value)
    {
        if (_length == _array.Length) Grow(1);
        _array[_length++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Reserves <paramref name="count"/> bytes to be filled later (e.g. a length prefix); returns their offset.</summary>
    public int Reserve(int count)
    {
        GetSpan(count);
        var offset = _length;
        _length += count;
        return offset;
    }

    /// <summary>The bytes written so far, for patching a reserved slot.</summary>
    public Span<byte> WrittenSpanMutable => _array.AsSpan(0, _length);

    public void Advance(int count)
    {
        if (count < 0 || _length + count > _array.Length)
            throw new ArgumentOutOfRangeException(nameof(count), $"Expected 0..{_array.Length - _length} bytes, got {count}");
        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _array.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _array.AsSpan(_length);
    }

    private void EnsureFree(int sizeHint)
    {
        if (sizeHint < 1) sizeHint = 1;
        if (_array.Length - _length < sizeHint) Grow(sizeHint);
    }

    private void Grow(int needed)
    {
        var size = Math.Max(_array.Length * 2L, (long)_length + needed);
        if (size > Array.MaxLength) size = Math.Max(Array.MaxLength, _length + needed);
        var bigger = ArrayPool<byte>.Shared.Rent((int)size);
        _array.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        _length = 0;
        if (array.Length > 0) ArrayPool<byte>.Shared.Return(array);
    }
}
