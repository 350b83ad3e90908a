namespace IotTelemetry.Edge.Mapping;

/// <summary>
/// A topic template such as <c>plants/{site}/{asset}/{sensor}</c>: matches MQTT topics segment by segment
/// and captures the named segments. <see cref="SubscriptionFilter"/> is the MQTT filter that covers it.
/// </summary>
public sealed class TopicTemplate
{
    private readonly string[] _segments;

    private TopicTemplate(string text, string[] segments)
    {
        Text = text;
        _segments = segments;
        SubscriptionFilter = string.Join('/', segments.Select(s => IsCapture(s) ? "+" : s));
    }

    public string Text { get; }

    public string SubscriptionFilter { get; }

    public bool Captures(string name) => _segments.Contains("{" + name + "}");

    public static bool TryParse(string text, out TopicTemplate template, out string error)
    {
        template = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(text)) { error = "a topic template such as plants/{site}/{asset}/{sensor}"; return false; }
        var segments = text.Split('/');
        foreach (var s in segments)
        {
            if (s == "#") { error = "no '#' (use one + or {name} per level)"; return false; }
            if (IsCapture(s) && s is not ("{site}" or "{asset}" or "{sensor}"))
            {
                error = "captures named {site}, {asset} or {sensor}, got " + s;
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
                default: if (!segment.SequenceEqual(pattern)) return false; break;
            }
            segmentIndex++;
            if (end < 0) break;
            start = end + 1;
        }
        return segmentIndex == _segments.Length;
    }

    private static bool IsCapture(string s) => s.Length > 2 && s[0] == '{' && s[^1] == '}';

    public override string ToString() => Text;
}
