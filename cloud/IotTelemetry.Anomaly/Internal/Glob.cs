namespace IotTelemetry.Anomaly.Internal;

/// <summary>Globs over '/'-separated keys: <c>*</c> matches any run of characters within one segment, <c>?</c> one character.</summary>
internal static class Glob
{
    public static bool IsValid(string? pattern, int segments) =>
        !string.IsNullOrEmpty(pattern) && pattern.Split('/').Length == segments && !pattern.Split('/').Any(s => s.Length == 0);

    public static bool IsMatch(string pattern, string text) => Match(pattern.AsSpan(), text.AsSpan());

    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> t)
    {
        while (p.Length > 0)
        {
            var c = p[0];
            if (c == '*')
            {
                var rest = p[1..];
                for (var i = 0; i <= t.Length; i++)
                {
                    if (Match(rest, t[i..])) return true;
                    if (i < t.Length && t[i] == '/') return false;
                }
                return false;
            }
            if (t.Length == 0) return false;
            if (c == '?' ? t[0] == '/' : c != t[0]) return false;
            p = p[1..];
            t = t[1..];
        }
        return t.Length == 0;
    }
}
