namespace IotTelemetry.Edge.Json;

/// <summary>
/// A topic template such as <c>plants/{site}/{asset}/{sensor}</c>: matches MQTT topics segment by segment
/// and captures the named segments. A segment <c>{sensor=temp}</c> (or <c>{asset=...}</c>, <c>{site=...}</c>) matches
/// the literal level <c>temp</c> and gives it as the sensor. <see cref="SubscriptionFilter"/> is the MQTT filter that covers it.
/// </summary>
public sealed class TopicTemplate
{
    private readonly string[] _segments;

    private TopicTemplate(string text, string[] segments)
    {
        Text = text;
        _segments = segments;
        SubscriptionFilter = string.Join('/', segments.Select(s => IsCapture(s) ? "+" : LiteralOf(s)));
    }

    public string Text { get; }

    public string SubscriptionFilter { get; }

    public bool Captures(string name) => _segments.Any(s => s == "{" + name + "}" || s.StartsWith("{" + name + "=", StringComparison.Ordinal));

    public static bool TryParse(string text, out TopicTemplate template, out string error)
    {
        template = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(text)) { error = "a topic template such as plants/{site}/{asset}/{sensor}"; return false; }
        var segments = text.Split('/');
        foreach (var s in segments)
        {
            if (s == "#") { error = "no '#' (use one + or {name} per level)"; return false; }
            if (IsNamedLiteral(s))
            {
                var literal = LiteralOf(s);
                if (literal.Length == 0 || literal.AsSpan().IndexOfAny("+#{}") >= 0)
                {
                    error = "a literal level after '=' without + # { or }, got " + s;
                    return false;
                }
                continue;
            }
            if (IsCapture(s) && s is not ("{site}" or "{asset}" or "{sensor}"))
            {
                error = "captures named {site}, {asset} or {sensor} (or {sensor=literal}), got " + s;
                return false;
            }
            if (!IsCapture(s) && (s.Contains('{') || s.Contains('}'))) { error = "whole-segment captures like {asset}, got " + s; return false; }
        }
        template = new TopicTemplate(text, segments);
        return true;
    }

    /// <summary>Matches <paramref name="topic"/> and returns the captured site, asset and sensor (null when not captured).</summary>
    public bool TryMatch(string topic, out string? site, out string? asset, out string? sensor)
    {
        site = asset = sensor = null;
        var segmentIndex = 0;
        var start = 0;
        while (true)
        {
            var end = topic.IndexOf('/', start);
            var segment = end < 0 ? topic.AsSpan(start) : topic.AsSpan(start, end - start);
            if (segmentIndex >= _segments.Length) return false;
            var pattern = _segments[segmentIndex];
            switch (pattern)
            {
                case "{site}": site = segment.ToString(); break;
                case "{asset}": asset = segment.ToString(); break;
                case "{sensor}": sensor = segment.ToString(); break;
                case "+": break;
                default:
                    var literal = LiteralOf(pattern);
                    if (!segment.SequenceEqual(literal)) return false;
                    if (IsNamedLiteral(pattern))
                    {
                        if (pattern.StartsWith("{site=", StringComparison.Ordinal)) site = literal;
                        else if (pattern.StartsWith("{asset=", StringComparison.Ordinal)) asset = literal;
                        else sensor = literal;
                    }
                    break;
            }
            segmentIndex++;
            if (end < 0) break;
            start = end + 1;
        }
        return segmentIndex == _segments.Length;
    }

    private static bool IsCapture(string s) => s.Length > 2 && s[0] == '{' && s[^1] == '}' && !s.Contains('=');

    private static bool IsNamedLiteral(string s) =>
        s.Length > 2 && s[^1] == '}' && (s.StartsWith("{site=", StringComparison.Ordinal) || s.StartsWith("{asset=", StringComparison.Ordinal) ||
                                         s.StartsWith("{sensor=", StringComparison.Ordinal));

    /// <summary>The text a segment must equal: itself, or the part after '=' of a named literal.</summary>
    private static string LiteralOf(string s) => IsNamedLiteral(s) ? s[(s.IndexOf('=') + 1)..^1] : s;

    public override string ToString() => Text;
}
