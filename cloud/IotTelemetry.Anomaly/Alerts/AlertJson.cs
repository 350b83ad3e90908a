using System.Text.Json;

namespace IotTelemetry.Anomaly;

/// <summary>One <see cref="AlertEvent"/> per JSON object; the journal <c>alerts.jsonl</c> holds one per line.</summary>
public static class AlertJson
{
    public static string Serialize(AlertEvent e) => JsonSerializer.Serialize(e, AlertJsonContext.Default.AlertEvent);

    public static byte[] SerializeToUtf8(AlertEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, AlertJsonContext.Default.AlertEvent);

    /// <summary>Parses one event; throws <see cref="JsonException"/> saying what was expected when the text is not one.</summary>
    public static AlertEvent Deserialize(ReadOnlySpan<char> json) =>
        JsonSerializer.Deserialize(json, AlertJsonContext.Default.AlertEvent)
        ?? throw new JsonException("expected an alert event object, got null");

    public static AlertEvent Deserialize(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, AlertJsonContext.Default.AlertEvent)
        ?? throw new JsonException("expected an alert event object, got null");

    /// <summary>Appends one event as one line.</summary>
    public static void WriteLine(TextWriter writer, AlertEvent e)
    {
        writer.Write(Serialize(e));
        writer.Write('\n');
    }

    /// <summary>Reads a journal: one event per non-empty line; a malformed line fails with its line number.</summary>
    public static IEnumerable<AlertEvent> ReadLines(TextReader reader)
    {
        var n = 0;
        while (reader.ReadLine() is { } line)
        {
            n++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            AlertEvent e;
            try { e = Deserialize(line.AsSpan()); }
            catch (JsonException ex) { throw new JsonException($"alert journal line {n}: expected an alert event, got '{Truncate(line)}': {ex.Message}", ex); }
            yield return e;
        }
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "...";
}
