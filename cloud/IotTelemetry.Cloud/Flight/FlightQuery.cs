using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IotTelemetry.Cloud.Flight;

/// <summary>
/// What a Flight ticket (or command descriptor) asks for, as UTF-8 JSON:
/// <c>{"dataset":"lake","site":"plant-a","asset":["pump-01","pump-02"],"sensor":"vibration","from":"2026-11-22T09:00:00Z","to":"2026-11-22T10:00:00Z"}</c>.
/// Every member is optional: <c>dataset</c> defaults to the raw readings (<c>Lake:Root</c>, <c>lake</c>); <c>site</c>, <c>asset</c>, <c>sensor</c> are a name or a
/// list of names (none: all); <c>from</c> is inclusive and <c>to</c> exclusive, ISO 8601 (none: unbounded).
/// </summary>
public sealed record FlightQuery(string? Dataset, HashSet<string>? Sites, HashSet<string>? Assets, HashSet<string>? Sensors, long? FromMicros, long? ToMicros)
{
    public static FlightQuery Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return new(null, null, null, null, null, null);
        try
        {
            using var doc = JsonDocument.Parse(utf8.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Invalid("a JSON object", doc.RootElement.ValueKind.ToString());
            string? dataset = null;
            HashSet<string>? sites = null, assets = null, sensors = null;
            long? from = null, to = null;
            foreach (var member in doc.RootElement.EnumerateObject())
            {
                switch (member.Name)
                {
                    case "dataset": dataset = member.Value.GetString() ?? throw Invalid("dataset as a string", "null"); break;
                    case "site": sites = Names(member); break;
                    case "asset": assets = Names(member); break;
                    case "sensor": sensors = Names(member); break;
                    case "from": from = Time(member); break;
                    case "to": to = Time(member); break;
                    default: throw Invalid("only dataset, site, asset, sensor, from and to", member.Name);
                }
            }
            return new(dataset, sites, assets, sensors, from, to);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Expected the ticket to be a JSON object such as {{\"site\":\"plant-a\",\"from\":\"2026-11-22T09:00:00Z\"}}, got: {ex.Message}", ex);
        }
    }

    /// <summary>The query as its JSON text again (for logs and the FlightInfo's ticket).</summary>
    public string Describe() => Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
    {
        ["dataset"] = Dataset,
        ["site"] = Sites?.Order(StringComparer.Ordinal).ToArray(),
        ["asset"] = Assets?.Order(StringComparer.Ordinal).ToArray(),
        ["sensor"] = Sensors?.Order(StringComparer.Ordinal).ToArray(),
        ["from"] = FromMicros is { } f ? Iso(f) : null,
        ["to"] = ToMicros is { } t ? Iso(t) : null,
    }.Where(kv => kv.Value is not null).ToDictionary()));

    /// <summary>True when rows at <paramref name="minMicros"/>..<paramref name="maxMicros"/> (inclusive) may match the time range.</summary>
    public bool Overlaps(long minMicros, long maxMicros) => (FromMicros is not { } f || maxMicros >= f) && (ToMicros is not { } t || minMicros < t);

    public bool InRange(long micros) => (FromMicros is not { } f || micros >= f) && (ToMicros is not { } t || micros < t);

    private static HashSet<string> Names(JsonProperty member) => member.Value.ValueKind switch
    {
        JsonValueKind.String => [member.Value.GetString()!],
        JsonValueKind.Array => [.. member.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Invalid($"{member.Name} names as strings", e.ValueKind.ToString()))],
        var other => throw Invalid($"{member.Name} as a name or a list of names", other.ToString()),
    };

    private static long Time(JsonProperty member)
    {
        if (member.Value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(member.Value.GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return (t - DateTimeOffset.UnixEpoch).Ticks / 10;
        throw Invalid($"{member.Name} as an ISO 8601 time such as 2026-11-22T09:00:00Z", member.Value.GetRawText());
    }

    private static string Iso(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static FormatException Invalid(string expected, string actual) => new($"Expected {expected} in the Flight ticket, got {actual}");
}
