using System.Globalization;
using System.Text.Json;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.DeadLetters;

namespace IotTelemetry.Edge.Mapping;

/// <summary>
/// Turns an MQTT topic and JSON payload into validated readings using the first mapping rule whose topic
/// template matches. Anything it cannot map or validate comes back as a <see cref="Rejection"/> with a reason.
/// </summary>
public sealed class PayloadMapper
{
    private readonly CompiledRule[] _rules;
    private readonly ValidationOptions _validation;
    private readonly string _defaultSite;
    private readonly long _minTimestampMicros;

    public PayloadMapper(IEnumerable<MappingRule> rules, ValidationOptions validation, string defaultSite)
    {
        _rules = rules.Select(r => new CompiledRule(r)).ToArray();
        _validation = validation;
        _defaultSite = defaultSite;
        _minTimestampMicros = UnixMicros.FromDateTimeOffset(validation.MinTimestamp);
    }

    /// <summary>The MQTT subscription filters that cover every rule's topic template.</summary>
    public IEnumerable<string> SubscriptionFilters => _rules.Select(r => r.Template.SubscriptionFilter).Distinct();

    public MappingResult Map(string topic, ReadOnlySpan<byte> payload, long receivedMicros)
    {
        if (payload.Length > _validation.MaxPayloadBytes)
            return MappingResult.Reject(RejectReason.PayloadTooLarge,
                $"payload of {payload.Length} bytes exceeds Validation:MaxPayloadBytes = {_validation.MaxPayloadBytes}");
        foreach (var rule in _rules)
        {
            if (!rule.Template.TryMatch(topic, out var site, out var asset, out var sensor)) continue;
            JsonDocument document;
            try
            {
                var reader = new Utf8JsonReader(payload, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
                document = JsonDocument.ParseValue(ref reader);
            }
            catch (JsonException ex)
            {
                return MappingResult.Reject(RejectReason.NotJson, $"payload is not valid JSON: {ex.Message}");
            }
            using (document)
            {
                return MapDocument(rule, topic, document.RootElement, site ?? rule.Rule.Site ?? _defaultSite, asset ?? rule.Rule.Asset,
                    sensor ?? rule.Rule.Sensor, receivedMicros);
            }
        }
        return MappingResult.Reject(RejectReason.UnmappedTopic, $"no mapping rule's topic template matches '{topic}'");
    }

    private MappingResult MapDocument(CompiledRule rule, string topic, JsonElement root, string site, string? asset, string? sensor, long receivedMicros)
    {
        var source = "mqtt:" + topic;
        if (rule.Readings is null)
        {
            var one = MapOne(rule, root, root, site, asset, sensor, source, receivedMicros, "");
            return one.Rejection is null ? new MappingResult([one.Reading!], null) : new MappingResult([], one.Rejection);
        }
        if (!rule.Readings.TryEvaluate(root, out var array) || array.ValueKind != JsonValueKind.Array)
            return MappingResult.Reject(RejectReason.MissingValue, $"expected an array at {rule.Readings} but found {Describe(root, rule.Readings)}");
        var readings = new List<Reading>(array.GetArrayLength());
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var one = MapOne(rule, root, element, site, asset, sensor, source, receivedMicros, $"{rule.Readings}[{index}]: ");
            if (one.Rejection is not null) return new MappingResult([], one.Rejection);
            readings.Add(one.Reading!);
            index++;
        }
        return new MappingResult(readings, null);
    }

    private (Reading? Reading, Rejection? Rejection) MapOne(CompiledRule rule, JsonElement root, JsonElement item, string site,
        string? asset, string? sensor, string source, long receivedMicros, string where)
    {
        if (rule.AssetPath is not null && rule.AssetPath.TryEvaluate(item, out var a) && a.ValueKind == JsonValueKind.String) asset = a.GetString();
        if (rule.SensorPath is not null && rule.SensorPath.TryEvaluate(item, out var s) && s.ValueKind == JsonValueKind.String) sensor = s.GetString();
        foreach (var (name, value) in new[] { ("site", (string?)site), ("asset", asset), ("sensor", sensor) })
        {
            if (string.IsNullOrEmpty(value))
                return Fail(RejectReason.BadIdentifier, $"{where}no {name}: neither the topic template, the payload nor the rule gives one");
            if (value.Length > _validation.MaxIdentifierLength || value.AsSpan().IndexOfAny("/+#\0") >= 0)
                return Fail(RejectReason.BadIdentifier,
                    $"{where}{name} '{Truncate(value)}' must be 1..{_validation.MaxIdentifierLength} characters without / + # or NUL");
        }

        if (!rule.Value.TryEvaluate(item, out var v))
            return Fail(RejectReason.MissingValue, $"{where}no value at {rule.Value}");
        double number;
        switch (v.ValueKind)
        {
            case JsonValueKind.Number:
                if (!v.TryGetDouble(out number) || !double.IsFinite(number))
                    return Fail(RejectReason.NonFiniteValue, $"{where}value {Truncate(v.GetRawText())} at {rule.Value} is not a finite number");
                break;
            case JsonValueKind.True: number = 1; break;
            case JsonValueKind.False: number = 0; break;
            case JsonValueKind.String when IsNonFiniteWord(v.GetString()):
                return Fail(RejectReason.NonFiniteValue, $"{where}value \"{v.GetString()}\" at {rule.Value} is not a finite number");
            default:
                return Fail(RejectReason.NonNumericValue, $"{where}value at {rule.Value} is {Describe(v)}, expected a number");
        }

        long timestamp;
        if (rule.Timestamp is null) timestamp = receivedMicros;
        else if (!rule.Timestamp.TryEvaluate(item, out var t) && !rule.Timestamp.TryEvaluate(root, out t))
        {
            if (rule.Rule.TimestampRequired) return Fail(RejectReason.MissingTimestamp, $"{where}no timestamp at {rule.Timestamp}");
            timestamp = receivedMicros;
        }
        else if (!TryParseTimestamp(t, rule.Rule.TimestampUnit, out timestamp))
            return Fail(RejectReason.BadTimestamp, $"{where}timestamp {Truncate(t.GetRawText())} at {rule.Timestamp} is neither ISO 8601 nor epoch {rule.Rule.TimestampUnit}");
        if (timestamp < _minTimestampMicros)
            return Fail(RejectReason.BadTimestamp, $"{where}timestamp {Format(timestamp)} is before Validation:MinTimestamp {_validation.MinTimestamp:O}");
        var skew = timestamp - receivedMicros;
        if (skew > (long)(_validation.MaxFutureSkew.TotalMicroseconds))
            return Fail(RejectReason.FutureTimestamp,
                $"{where}timestamp {Format(timestamp)} is {TimeSpan.FromMicroseconds(skew):g} ahead of the agent's clock (Validation:MaxFutureSkew = {_validation.MaxFutureSkew:g})");

        var quality = Quality.Good;
        if (rule.Quality is not null && rule.Quality.TryEvaluate(item, out var q) && !TryParseQuality(q, out quality))
            return Fail(RejectReason.BadQuality, $"{where}quality {Truncate(q.GetRawText())} at {rule.Quality} is not good, uncertain or bad");

        var unit = rule.Rule.Unit ?? "";
        if (rule.UnitPath is not null && rule.UnitPath.TryEvaluate(item, out var u) && u.ValueKind == JsonValueKind.String) unit = u.GetString() ?? unit;

        return (new Reading(site, asset!, sensor!, timestamp, number, quality, unit, source, receivedMicros), null);
    }

    private static (Reading?, Rejection?) Fail(string reason, string detail) => (null, new Rejection(reason, detail));

    private static bool IsNonFiniteWord(string? s) =>
        s is not null && (s.Equals("NaN", StringComparison.OrdinalIgnoreCase) || s.Contains("Infinity", StringComparison.OrdinalIgnoreCase) || s.Equals("inf", StringComparison.OrdinalIgnoreCase));

    internal static bool TryParseTimestamp(JsonElement t, string unit, out long micros)
    {
        micros = 0;
        if (t.ValueKind == JsonValueKind.String)
        {
            if (!DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto)) return false;
            micros = UnixMicros.FromDateTimeOffset(dto);
            return true;
        }
        if (t.ValueKind != JsonValueKind.Number || !t.TryGetDouble(out var n) || !double.IsFinite(n) || n < 0) return false;
        var scale = unit switch
        {
            "s" => 1_000_000.0,
            "ms" => 1_000.0,
            "us" => 1.0,
            _ => n < 1e11 ? 1_000_000.0 : n < 1e14 ? 1_000.0 : 1.0, // auto: seconds, milliseconds or microseconds since the epoch
        };
        var value = n * scale;
        if (value > 253402300799999999) return false; // beyond year 9999
        micros = (long)Math.Round(value);
        return true;
    }

    internal static bool TryParseQuality(JsonElement q, out Quality quality)
    {
        quality = Quality.Good;
        switch (q.ValueKind)
        {
            case JsonValueKind.String:
                switch (q.GetString()?.Trim().ToLowerInvariant())
                {
                    case "good" or "ok": quality = Quality.Good; return true;
                    case "uncertain": quality = Quality.Uncertain; return true;
                    case "bad": quality = Quality.Bad; return true;
                    default: return false;
                }
            case JsonValueKind.Number when q.TryGetInt32(out var n) && n is >= 0 and <= 2:
                quality = (Quality)n;
                return true;
            case JsonValueKind.Null:
                return true;
            default:
                return false;
        }
    }

    private static string Describe(JsonElement root, JsonPath path) => path.TryEvaluate(root, out var e) ? Describe(e) : "nothing";

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(e.GetString() ?? "")}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => e.GetRawText(),
    };

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";

    private static string Format(long micros) => UnixMicros.ToDateTimeOffset(micros).ToString("O", CultureInfo.InvariantCulture);

    private sealed class CompiledRule(MappingRule rule)
    {
        public MappingRule Rule { get; } = rule;
        public TopicTemplate Template { get; } = TopicTemplate.TryParse(rule.Topic, out var t, out var e) ? t : throw new FormatException(e);
        public JsonPath Value { get; } = JsonPath.Parse(rule.ValuePath);
        public JsonPath? Readings { get; } = Compile(rule.ReadingsPath);
        public JsonPath? SensorPath { get; } = Compile(rule.SensorPath);
        public JsonPath? AssetPath { get; } = Compile(rule.AssetPath);
        public JsonPath? Timestamp { get; } = Compile(rule.TimestampPath);
        public JsonPath? UnitPath { get; } = Compile(rule.UnitPath);
        public JsonPath? Quality { get; } = Compile(rule.QualityPath);

        private static JsonPath? Compile(string? path) => string.IsNullOrEmpty(path) ? null : JsonPath.Parse(path);
    }
}
