using System.Buffers;
using System.Text;
using System.Text.Json;

namespace IotTelemetry.Edge.Json;

/// <summary>
/// The agent's JSON policy, RFC 8259 to the letter: one JSON text and nothing after it but whitespace; no comments, no
/// trailing commas; no duplicate member names in an object; nesting at most <c>Validation:MaxJsonDepth</c>; every byte
/// well-formed UTF-8 (no overlong forms, no encoded surrogates) and no escaped lone surrogate (<c>"\ud800"</c>) in any
/// string or member name. A single leading UTF-8 byte order mark is ignored, as RFC 8259 section 8.1 allows.
/// </summary>
public static class StrictJson
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    public static bool TryParse(ReadOnlyMemory<byte> payload, int maxDepth, out JsonDocument? document, out string error)
    {
        document = null;
        if (payload.Span.StartsWith(Bom)) payload = payload[Bom.Length..];
        if (FirstInvalidUtf8(payload.Span) is { } offset)
        {
            error = $"invalid UTF-8 at byte {offset} (JSON text must be UTF-8, RFC 8259 section 8.1)";
            return false;
        }
        var options = new JsonDocumentOptions
        {
            AllowTrailingCommas = false,
            CommentHandling = JsonCommentHandling.Disallow,
            MaxDepth = maxDepth,
            AllowDuplicateProperties = false,
        };
        try
        {
            document = JsonDocument.Parse(payload, options);
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return false;
        }
        // The bytes are well-formed UTF-8, so a lone surrogate can only come from a \u escape: walk the strings only then.
        if (payload.Span.IndexOf("\\u"u8) >= 0 && FirstInvalidString(document.RootElement, "$") is { } path)
        {
            document.Dispose();
            document = null;
            error = $"the string at {path} holds an escaped lone surrogate (not a Unicode character)";
            return false;
        }
        error = "";
        return true;
    }

    /// <summary>The offset of the first byte that does not start a well-formed UTF-8 sequence, or null when all are well formed.</summary>
    public static int? FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return null;
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done) return offset;
            offset += consumed;
        }
        return null;
    }

    private static string? FirstInvalidString(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsValidString(element) ? null : path;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstInvalidString(item, $"{path}[{i}]") is { } bad) return bad;
                    i++;
                }
                return null;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    string name;
                    try { name = member.Name; }
                    catch (InvalidOperationException) { return path + " (a member name)"; }
                    if (FirstInvalidString(member.Value, $"{path}.{name}") is { } bad) return bad;
                }
                return null;
            default:
                return null;
        }
    }

    private static bool IsValidString(JsonElement element)
    {
        try
        {
            element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
