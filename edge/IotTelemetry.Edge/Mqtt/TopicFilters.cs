namespace IotTelemetry.Edge.Mqtt;

/// <summary>
/// MQTT topic filters. A broker delivers a message once for every subscription of a client that matches it, so the
/// agent subscribes only to filters no other of its filters already covers (else one reading would arrive twice).
/// </summary>
public static class TopicFilters
{
    /// <summary><paramref name="filters"/> without duplicates and without any filter another one covers, in their first order.</summary>
    public static List<string> Minimal(IEnumerable<string> filters)
    {
        var distinct = filters.Distinct(StringComparer.Ordinal).ToList();
        return [.. distinct.Where((f, i) => !distinct.Where((g, j) => j != i).Any(g => Covers(g, f)))];
    }

    /// <summary>True when every topic <paramref name="inner"/> matches is also matched by <paramref name="outer"/> (and they differ).</summary>
    public static bool Covers(string outer, string inner)
    {
        if (outer == inner) return false;
        var o = outer.Split('/');
        var n = inner.Split('/');
        for (var i = 0; i < o.Length; i++)
        {
            if (o[i] == "#") return true; // matches the rest, and the parent level too
            if (i >= n.Length) return false;
            if (n[i] == "#") return false;
            if (o[i] == "+") continue;
            if (n[i] == "+" || o[i] != n[i]) return false;
        }
        return o.Length == n.Length;
    }
}
