using System.Globalization;
using System.Text.Json;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Validation;

namespace IotTelemetry.Edge.Json;

/// <summary>
/// Turns an MQTT topic and JSON payload into validated readings. The payload must be strict RFC 8259 JSON
/// (<see cref="StrictJson"/>); the rule used is the first whose topic template matches and whose <c>When</c> member, if
/// any, is present; a rule's shapes are tried in order on each reading, and each reading must then pass the
/// <see cref="ReadingValidator"/>. Anything it cannot map or validate comes back as a <see cref="Rejection"/> with a reason.
/// </summary>
public sealed class PayloadMapper
{
    private readonly CompiledRule[] _rules;
    private readonly ValidationOptions _validation;
    private readonly string _defaultSite;
    private readonly ReadingValidator _validator;

    public PayloadMapper(IEnumerable<MappingRule> rules, ValidationOptions validation, string defaultSite)
    {
        _rules = rules.Select(r => new CompiledRule(r)).ToArray();
        _validation = validation;
        _defaultSite = defaultSite;
        _validator = new ReadingValidator(validation);
    }

    /// <summary>The MQTT subscription filters that cover every rule's topic template.</summary>
    public IEnumerable<string> SubscriptionFilters => _rules.Select(r => r.Template.SubscriptionFilter).Distinct();

    /// <param name="requireDeviceTimestamp">True for a retained message: a reading without its own timestamp is refused, since the receive time would date a stale value as new.</param>
    public MappingResult Map(string topic, ReadOnlyMemory<byte> payload, long receivedMicros, bool requireDeviceTimestamp = false)
    {
        if (payload.Length > _validation.MaxPayloadBytes)
            return MappingResult.Reject(RejectReason.PayloadTooLarge,
                $"payload of {payload.Length} bytes exceeds Validation:MaxPayloadBytes = {_validation.MaxPayloadBytes}");
        JsonDocument? document = null;
        try
        {
            List<string>? topicMatched = null; // rules whose topic matched but whose When member is missing
            foreach (var rule in _rules)
            {
                if (!rule.Template.TryMatch(topic, out var site, out var asset, out var sensor)) continue;
                if (document is null && !StrictJson.TryParse(payload, _validation.MaxJsonDepth, out document, out var why))
                    return MappingResult.Reject(RejectReason.NotJson, "payload is not valid JSON: " + why);
                if (rule.When is not null && !rule.When.TryEvaluate(document!.RootElement, out _))
                {
                    (topicMatched ??= []).Add($"{rule.Name} (When {rule.When})");
                    continue;
                }
                return MapDocument(rule, topic, document!.RootElement, site ?? rule.Rule.Site ?? _defaultSite, asset ?? rule.Rule.Asset,
                    sensor ?? rule.Rule.Sensor, receivedMicros, requireDeviceTimestamp);
            }
            return topicMatched is null
                ? MappingResult.Reject(RejectReason.UnmappedTopic, $"no mapping rule's topic template matches '{topic}'")
                : MappingResult.Reject(RejectReason.MissingValue, $"the payload has none of the members the rules for '{topic}' need: {string.Join(", ", topicMatched)}");
        }
        finally
        {
            document?.Dispose();
        }
    }

    private MappingResult MapDocument(CompiledRule rule, string topic, JsonElement root, string site, string? asset, string? sensor, long receivedMicros,
        bool requireDeviceTimestamp)
    {
        var source = "mqtt:" + topic;
        if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() == 0)
            return MappingResult.Reject(RejectReason.NoReadings, "the payload is an empty array: it holds no readings");
        if (rule.Readings is null)
        {
            var one = MapOne(rule, root, root, site, asset, sensor, source, receivedMicros, requireDeviceTimestamp, "");
            return one.Rejection is null ? new MappingResult([one.Reading!], null) { Rule = rule.Name } : new MappingResult([], one.Rejection);
        }
        if (!rule.Readings.TryEvaluate(root, out var array) || array.ValueKind != JsonValueKind.Array)
            return MappingResult.Reject(RejectReason.MissingValue, $"expected an array at {rule.Readings} but found {Describe(root, rule.Readings)}");
        if (array.GetArrayLength() == 0)
            return MappingResult.Reject(RejectReason.NoReadings, $"the array at {rule.Readings} holds no readings");
        var readings = new List<Reading>(array.GetArrayLength());
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var one = MapOne(rule, root, element, site, asset, sensor, source, receivedMicros, requireDeviceTimestamp, $"{rule.Readings}[{index}]: ");
            if (one.Rejection is not null) return new MappingResult([], one.Rejection);
            readings.Add(one.Reading!);
            index++;
        }
        return new MappingResult(readings, null) { Rule = rule.Name };
    }

    private (Reading? Reading, Rejection? Rejection) MapOne(CompiledRule rule, JsonElement root, JsonElement item, string site,
        string? asset, string? sensor, string source, long receivedMicros, bool requireDeviceTimestamp, string where)
    {
        var shape = rule.Choose(item);
        if (shape is null)
            return Fail(RejectReason.MissingValue, $"{where}no value at {string.Join(" or ", rule.Shapes.Select(s => s.Describe()))}");
        if (rule.Rule.Shapes.Count > 0) source += "#" + rule.Name + "/" + shape.Name;
        if (rule.AssetPath is not null && rule.AssetPath.TryEvaluate(item, out var a) && a.ValueKind == JsonValueKind.String) asset = a.GetString();
        if (rule.SensorPath is not null && rule.SensorPath.TryEvaluate(item, out var s) && s.ValueKind == JsonValueKind.String) sensor = s.GetString();
        sensor ??= shape.Sensor;
        foreach (var (name, value) in new[] { ("site", (string?)site), ("asset", asset), ("sensor", sensor) })
        {
            if (string.IsNullOrEmpty(value))
                return Fail(RejectReason.BadIdentifier, $"{where}no {name}: neither the topic template, the payload nor the rule gives one");
        }

        shape.Value.TryEvaluate(item, out var v);
        double number;
        switch (v.ValueKind)
        {
            case JsonValueKind.Number:
                // Beyond double's range (1e999): infinite, for the validator to refuse like any other input's.
                if (!v.TryGetDouble(out number)) number = v.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
                break;
            case JsonValueKind.True: number = 1; break;
            case JsonValueKind.False: number = 0; break;
            case JsonValueKind.String when NonFiniteWord(v.GetString()) is { } word:
                number = word;
                break;
            default:
                return Fail(RejectReason.NonNumericValue, $"{where}value at {shape.Value} is {Describe(v)}, expected a number");
        }

        long timestamp;
        if (shape.Timestamp is null || (!shape.Timestamp.TryEvaluate(item, out var t) && !shape.Timestamp.TryEvaluate(root, out t)))
        {
            if (requireDeviceTimestamp)
                return Fail(RejectReason.RetainedWithoutTimestamp,
                    $"{where}a retained message without a timestamp{(shape.Timestamp is null ? "" : " at " + shape.Timestamp)} would date an old value as new (Mqtt:Retained = WithTimestamp)");
            if (rule.Rule.TimestampRequired && shape.Timestamp is not null) return Fail(RejectReason.MissingTimestamp, $"{where}no timestamp at {shape.Timestamp}");
            timestamp = receivedMicros;
        }
        else if (!TryParseTimestamp(t, shape.TimestampUnit, out timestamp))
            return Fail(RejectReason.BadTimestamp, $"{where}timestamp {Truncate(t.GetRawText())} at {shape.Timestamp} is neither ISO 8601 nor epoch {shape.TimestampUnit}");

        var quality = Quality.Good;
        if (shape.Quality is not null && shape.Quality.TryEvaluate(item, out var q) && !TryParseQuality(q, out quality))
            return Fail(RejectReason.BadQuality, $"{where}quality {Truncate(q.GetRawText())} at {shape.Quality} is not good, uncertain or bad");

        var unit = shape.Unit ?? "";
        if (shape.UnitPath is not null && shape.UnitPath.TryEvaluate(item, out var u) && u.ValueKind == JsonValueKind.String) unit = u.GetString() ?? unit;

        var reading = new Reading(site, asset!, sensor!, timestamp, number, quality, unit, source, receivedMicros);
        return _validator.Check(reading) is { } refused ? Fail(refused.Reason, where + refused.Detail) : (reading, null);
    }

    private static (Reading?, Rejection?) Fail(string reason, string detail) => (null, new Rejection(reason, detail));

    /// <summary>The number a device meant by a string such as "NaN" or "-Infinity" (JSON has no such numbers); null for any other string.</summary>
    private static double? NonFiniteWord(string? s) =>
        s is null ? null
        : s.Equals("NaN", StringComparison.OrdinalIgnoreCase) ? double.NaN
        : s.Contains("Infinity", StringComparison.OrdinalIgnoreCase) || s.Equals("inf", StringComparison.OrdinalIgnoreCase)
            ? (s.TrimStart().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity)
        : null;

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
        if (value > UnixMicros.MaxValue) return false; // beyond year 9999
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

    private static string Truncate(string s) => ReadingValidator.Truncate(s);

    private sealed class CompiledRule
    {
        public CompiledRule(MappingRule rule)
        {
            Rule = rule;
            Name = rule.Name.Length > 0 ? rule.Name : rule.Topic;
            Template = TopicTemplate.TryParse(rule.Topic, out var t, out var e) ? t : throw new FormatException(e);
            When = Compile(rule.When);
            Readings = Compile(rule.ReadingsPath);
            SensorPath = Compile(rule.SensorPath);
            AssetPath = Compile(rule.AssetPath);
            Shapes = rule.Shapes.Count == 0
                ? [new CompiledShape(rule, null, Name)]
                : [.. rule.Shapes.Select((s, i) => new CompiledShape(rule, s, s.Name ?? (i + 1).ToString(CultureInfo.InvariantCulture)))];
        }

        public MappingRule Rule { get; }
        public string Name { get; }
        public TopicTemplate Template { get; }
        public JsonPath? When { get; }
        public JsonPath? Readings { get; }
        public JsonPath? SensorPath { get; }
        public JsonPath? AssetPath { get; }
        public CompiledShape[] Shapes { get; }

        /// <summary>
        /// The first shape whose When member is present and whose value path finds a value (not an object or array). When none
        /// does, the first that finds an object or array at a path of its own (not <c>$</c>, unless it is the rule's only shape),
        /// so that the rejection says what was found there; null when no shape finds anything.
        /// </summary>
        public CompiledShape? Choose(JsonElement item)
        {
            CompiledShape? fallback = null;
            foreach (var shape in Shapes)
            {
                if (shape.When is not null && !shape.When.TryEvaluate(item, out _)) continue;
                if (!shape.Value.TryEvaluate(item, out var value)) continue;
                if (value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) return shape;
                if (fallback is null && (Shapes.Length == 1 || shape.Value.Text != "$")) fallback = shape;
            }
            return fallback;
        }
    }

    /// <summary>A payload shape with the rule's paths filled in where the shape leaves them unset.</summary>
    private sealed class CompiledShape(MappingRule rule, PayloadShape? shape, string name)
    {
        public string Name { get; } = name;
        public JsonPath? When { get; } = Compile(shape?.When);
        public JsonPath Value { get; } = JsonPath.Parse(shape?.ValuePath ?? rule.ValuePath);
        public JsonPath? Timestamp { get; } = Compile(shape?.TimestampPath ?? rule.TimestampPath);
        public string TimestampUnit { get; } = shape?.TimestampUnit ?? rule.TimestampUnit;
        public JsonPath? UnitPath { get; } = Compile(shape?.UnitPath ?? rule.UnitPath);
        public string? Unit { get; } = shape?.Unit ?? rule.Unit;
        public JsonPath? Quality { get; } = Compile(shape?.QualityPath ?? rule.QualityPath);
        public string? Sensor { get; } = shape?.Sensor;

        public string Describe() => When is null ? Value.ToString() : $"{Value} (when {When})";
    }

    private static JsonPath? Compile(string? path) => string.IsNullOrEmpty(path) ? null : JsonPath.Parse(path);
}
