using System.Text;

namespace IotTelemetry.Fuzz;

/// <summary>
/// Seeded mutations of valid payloads: truncation, bit flips, byte insertion and deletion, huge numbers, NaN and
/// Infinity words, deep nesting, invalid UTF-8, duplicate keys, oversized payloads and splices of two seeds. The same
/// seed gives the same sequence of payloads, so a failure found once can be made again.
/// </summary>
public sealed class Mutator(int seed, int oversizedBytes)
{
    private static readonly byte[][] Words =
    [
        .. new[]
        {
            "NaN", "-NaN", "Infinity", "-Infinity", "+Infinity", "inf", "1e400", "-1e400", "1e-400", "4.9e-325",
            "179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            "18446744073709551616", "-9223372036854775809", "9223372036854775807", "0x1F", "01", "-", "1.", ".5", "1e", "true", "null",
            "\"\\ud800\"", "\"\\u0000\"", "\"\\uDFFF\\uD800\"", "\"value\":1,", "\"ts\":1795248000000,", "\"ts\":99999999999999999999,",
            "\"readings\":[],", "//", "/*", "]", "}", ",", ":", "\"", "\\", "{", "[",
        }.Select(Encoding.UTF8.GetBytes),
        [0xC0, 0x80], [0xFF], [0xFE, 0xFF], [0xED, 0xA0, 0x80], [0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x00],
        [0xEF, 0xBB, 0xBF],
    ];

    private const int InvalidUtf8 = 9; // the last entries of Words

    private readonly Random _random = new(seed);

    /// <summary>The seed the next payload starts from (uniformly), and the payload.</summary>
    public (Seed Seed, byte[] Payload, string Mutations) Next(IReadOnlyList<Seed> seeds)
    {
        var from = seeds[_random.Next(seeds.Count)];
        if (_random.Next(10) == 0) return (from, from.Bytes, "none");
        var bytes = new List<byte>(from.Bytes);
        var ops = new List<string>();
        for (var n = 1 + _random.Next(3); n > 0; n--) ops.Add(Apply(bytes, seeds));
        return (from, [.. bytes], string.Join('+', ops));
    }

    private string Apply(List<byte> b, IReadOnlyList<Seed> seeds)
    {
        var op = _random.Next(2000);
        if (op == 0) { Oversize(b); return "oversized"; }
        switch (op % 11)
        {
            case 0 when b.Count > 0: var keep = _random.Next(b.Count); b.RemoveRange(keep, b.Count - keep); return "truncate";
            case 1 when b.Count > 0: for (var k = 1 + _random.Next(4); k > 0; k--) { var i = _random.Next(b.Count); b[i] ^= (byte)(1 << _random.Next(8)); } return "bitflip";
            case 2: b.InsertRange(Position(b), RandomBytes(1 + _random.Next(8))); return "insert-bytes";
            case 3 when b.Count > 0: var at = _random.Next(b.Count); b.RemoveRange(at, Math.Min(b.Count - at, 1 + _random.Next(8))); return "delete";
            case 4: b.InsertRange(Position(b), Words[_random.Next(Words.Length)]); return "word";
            case 5: ReplaceNumber(b); return "number";
            case 6: Nest(b); return "nesting";
            case 7: b.InsertRange(Position(b), Words[_random.Next(Words.Length - InvalidUtf8, Words.Length)]); return "invalid-utf8";
            case 8: DuplicateKey(b); return "duplicate-key";
            case 9:
                var other = seeds[_random.Next(seeds.Count)].Bytes;
                var head = Position(b);
                b.RemoveRange(head, b.Count - head);
                b.AddRange(other[_random.Next(other.Length)..]);
                return "splice";
            default: var start = Position(b); var len = Math.Min(b.Count - start, 1 + _random.Next(16)); b.InsertRange(start, b.GetRange(start, len)); return "repeat";
        }
    }

    private int Position(List<byte> b) => _random.Next(b.Count + 1);

    private byte[] RandomBytes(int n)
    {
        var r = new byte[n];
        _random.NextBytes(r);
        return r;
    }

    /// <summary>Replaces a run of digits by a word: a huge number, NaN or Infinity, a negative zero.</summary>
    private void ReplaceNumber(List<byte> b)
    {
        var digits = b.Select((x, i) => (x, i)).Where(t => t.x is >= (byte)'0' and <= (byte)'9').Select(t => t.i).ToList();
        var word = Words[_random.Next(14)];
        if (digits.Count == 0) { b.InsertRange(Position(b), word); return; }
        var start = digits[_random.Next(digits.Count)];
        var end = start;
        while (end < b.Count && (b[end] is >= (byte)'0' and <= (byte)'9' || b[end] is (byte)'.' or (byte)'e' or (byte)'-')) end++;
        b.RemoveRange(start, end - start);
        b.InsertRange(start, word);
    }

    /// <summary>Wraps the value (or the whole payload) in 1 to 400 levels of arrays or objects.</summary>
    private void Nest(List<byte> b)
    {
        var depth = 1 + _random.Next(_random.Next(2) == 0 ? 40 : 400);
        var array = _random.Next(2) == 0;
        var open = Encoding.UTF8.GetBytes(array ? "[" : "{\"n\":");
        var close = Encoding.UTF8.GetBytes(array ? "]" : "}");
        var value = IndexOf(b, "\"value\":"u8);
        var at = value >= 0 ? value + 8 : 0;
        var end = at;
        while (end < b.Count && b[end] is not ((byte)',' or (byte)'}')) end++;
        b.InsertRange(end, Enumerable.Range(0, depth).SelectMany(_ => close));
        b.InsertRange(at, Enumerable.Range(0, depth).SelectMany(_ => open));
    }

    /// <summary>Repeats a member name in the same object: <c>{"value":1,"value":2}</c>.</summary>
    private void DuplicateKey(List<byte> b)
    {
        var brace = IndexOf(b, "{"u8);
        var member = Encoding.UTF8.GetBytes(_random.Next(3) switch { 0 => "\"value\":7,", 1 => "\"ts\":1795248000000,", _ => "\"readings\":[],"});
        b.InsertRange(brace + 1, member);
    }

    /// <summary>Pads to more than the agent's limit: a long string member, or random bytes.</summary>
    private void Oversize(List<byte> b)
    {
        var pad = oversizedBytes + _random.Next(4096);
        if (_random.Next(2) == 0) b.AddRange(RandomBytes(pad));
        else b.InsertRange(IndexOf(b, "{"u8) + 1, Encoding.UTF8.GetBytes("\"pad\":\"" + new string('x', pad) + "\","));
    }

    private static int IndexOf(List<byte> b, ReadOnlySpan<byte> what)
    {
        for (var i = 0; i + what.Length <= b.Count; i++)
        {
            var match = true;
            for (var j = 0; j < what.Length && match; j++) match = b[i + j] == what[j];
            if (match) return i;
        }
        return -1;
    }
}
