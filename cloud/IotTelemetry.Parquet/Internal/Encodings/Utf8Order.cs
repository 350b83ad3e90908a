namespace IotTelemetry.Parquet.Internal.Encodings;

/// <summary>
/// Compares .NET strings in the order of their UTF-8 bytes (unsigned), the sort order Parquet defines
/// for STRING statistics, without encoding them. UTF-16 code-unit order differs from it only where a
/// surrogate (a character above U+FFFF) meets a character in U+E000..U+FFFF.
/// </summary>
internal static class Utf8Order
{
    public static int Compare(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x == y) continue;
            return Key(x) - Key(y);
        }
        return a.Length - b.Length;
    }

    // Moves surrogates (D800..DFFF) above E000..FFFF, as their 4-byte UTF-8 forms sort above 3-byte ones.
    private static int Key(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
