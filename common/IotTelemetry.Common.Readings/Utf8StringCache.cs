using System.IO.Hashing;
using System.Text;

namespace IotTelemetry.Common.Readings;

/// <summary>
/// Remembers the strings decoded from short UTF-8 byte sequences, so that the names a plant repeats in every record (site,
/// asset, sensor, unit, source) are allocated once per thread instead of once per reading. Direct-mapped: a slot holds
/// the last sequence that hashed to it, so the memory is bounded (<see cref="Slots"/> entries of at most
/// <see cref="MaxBytes"/> bytes) and a plant with more names than slots only decodes more often. Not thread-safe: one
/// instance per thread (<see cref="ReadingCodec"/> keeps one in a thread-static field).
/// </summary>
internal sealed class Utf8StringCache
{
    /// <summary>Longer sequences are decoded each time (a name that long is rare, and comparing it costs what decoding does).</summary>
    public const int MaxBytes = 128;

    public const int Slots = 4096;

    private readonly byte[]?[] _bytes = new byte[Slots][];
    private readonly string?[] _strings = new string[Slots];

    /// <summary>The string <paramref name="utf8"/> encodes; throws <see cref="DecoderFallbackException"/> on invalid UTF-8.</summary>
    public string Get(ReadOnlySpan<byte> utf8, UTF8Encoding encoding)
    {
        if (utf8.IsEmpty) return string.Empty;
        if (utf8.Length > MaxBytes) return encoding.GetString(utf8);
        var slot = (int)(XxHash3.HashToUInt64(utf8) & (Slots - 1));
        if (_bytes[slot] is { } known && utf8.SequenceEqual(known)) return _strings[slot]!;
        var s = encoding.GetString(utf8); // throws before anything is remembered: only valid text is cached
        _bytes[slot] = utf8.ToArray();
        _strings[slot] = s;
        return s;
    }
}
