using System.Text.Json;

namespace IotTelemetry.Edge.Json;

/// <summary>A compiled path of the JSONPath subset the mapping rules use: member names and array indexes.</summary>
public sealed class JsonPath
{
    private readonly object[] _steps; // string member or int index

    private JsonPath(string text, object[] steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    public static bool TryParse(string text, out JsonPath path, out string error)
    {
        path = null!;
        error = "";
        if (!text.StartsWith('$')) { error = "a path starting with '$'"; return false; }
        var steps = new List<object>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < text.Length && text[i] != '.' && text[i] != '[') i++;
                if (i == start) { error = $"a member name after '.' at position {start}"; return false; }
                steps.Add(text[start..i]);
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0) { error = $"a closing ']' for the '[' at position {i}"; return false; }
                var inner = text[(i + 1)..end];
                if (inner.Length >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[^1] == inner[0]) steps.Add(inner[1..^1]);
                else if (int.TryParse(inner, out var index) && index >= 0) steps.Add(index);
                else { error = $"an index or quoted name inside [] at position {i}"; return false; }
                i = end + 1;
            }
            else { error = $"'.' or '[' at position {i}"; return false; }
        }
        path = new JsonPath(text, [.. steps]);
        return true;
    }

    public static JsonPath Parse(string text) =>
        TryParse(text, out var p, out var error) ? p : throw new FormatException($"JSON path '{text}': expected {error}");

    /// <summary>The element at this path, or false when any step is missing.</summary>
    public bool TryEvaluate(JsonElement root, out JsonElement result)
    {
        result = root;
        foreach (var step in _steps)
        {
            if (step is string name)
            {
                if (result.ValueKind != JsonValueKind.Object || !result.TryGetProperty(name, out result)) return false;
            }
            else
            {
                var index = (int)step;
                if (result.ValueKind != JsonValueKind.Array || index >= result.GetArrayLength()) return false;
                result = result[index];
            }
        }
        return true;
    }

    public override string ToString() => Text;
}
