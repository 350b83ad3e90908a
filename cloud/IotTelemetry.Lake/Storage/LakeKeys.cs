namespace IotTelemetry.Lake;

/// <summary>Keys of a store: relative, '/'-separated, no empty, '.' or '..' segment (so no key escapes the store's root).</summary>
public static class LakeKeys
{
    /// <summary>Joins non-empty parts with '/'.</summary>
    public static string Combine(params ReadOnlySpan<string> parts)
    {
        var joined = new System.Text.StringBuilder();
        foreach (var part in parts)
        {
            var p = part.Trim('/');
            if (p.Length == 0) continue;
            if (joined.Length > 0) joined.Append('/');
            joined.Append(p);
        }
        return joined.ToString();
    }

    /// <summary>The last segment.</summary>
    public static string Name(string key) => key[(key.LastIndexOf('/') + 1)..];

    /// <summary>Everything before the last segment ("" for a top-level key).</summary>
    public static string Parent(string key) => key.LastIndexOf('/') is var i and >= 0 ? key[..i] : "";

    /// <summary>Throws unless <paramref name="key"/> is a well-formed key (or, with <paramref name="allowEmpty"/>, the root "").</summary>
    public static string Check(string key, bool allowEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 && allowEmpty) return key;
        if (key.Length == 0 || key.StartsWith('/') || key.EndsWith('/') || key.Contains('\\', StringComparison.Ordinal)
            || key.Split('/').Any(s => s is "" or "." or ".."))
            throw new ArgumentException($"Expected a relative key of '/'-separated names (no '.', '..' or empty segment), got '{key}'", nameof(key));
        return key;
    }

    /// <summary>The part of <paramref name="key"/> below <paramref name="prefix"/>, or null when it is not below it.</summary>
    public static string? Below(string key, string prefix) =>
        prefix.Length == 0 ? key
        : key.Length > prefix.Length + 1 && key[prefix.Length] == '/' && key.StartsWith(prefix, StringComparison.Ordinal) ? key[(prefix.Length + 1)..]
        : null;
}
