using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.DeadLetters;
using IotTelemetry.Edge.Mapping;

namespace IotTelemetry.Edge.Sparkplug;

/// <summary>
/// Turns Sparkplug B messages (<c>spBv1.0/{group}/{NBIRTH|NDATA|DBIRTH|DDATA}/{edge node}[/{device}]</c>) into
/// readings: asset = device id (or edge node id for node metrics), sensor = metric name ('/' becomes '.'),
/// numeric metrics only (Int*, UInt*, Float, Double, Boolean). BIRTH messages teach the metric aliases that DATA
/// messages may use instead of names; an alias never announced dead-letters the message. Other message types
/// (DEATH, STATE, commands) carry no telemetry and are acknowledged as they are. Not thread-safe: one ingest loop.
/// </summary>
public sealed class SparkplugMapper(SparkplugOptions options, ValidationOptions validation, string defaultSite)
{
    private readonly Dictionary<(string Group, string Node, string? Device), Dictionary<ulong, string>> _aliases = [];
    private readonly long _minTimestampMicros = UnixMicros.FromDateTimeOffset(validation.MinTimestamp);

    public static bool IsSparkplugTopic(string topic) => topic.StartsWith("spBv1.0/", StringComparison.Ordinal);

    /// <param name="requireDeviceTimestamp">True for a retained message: a metric without a timestamp is refused.</param>
    public MappingResult Map(string topic, ReadOnlySpan<byte> payload, long receivedMicros, bool requireDeviceTimestamp = false)
    {
        if (payload.Length > validation.MaxPayloadBytes)
            return MappingResult.Reject(RejectReason.PayloadTooLarge,
                $"payload of {payload.Length} bytes exceeds Validation:MaxPayloadBytes = {validation.MaxPayloadBytes}");
        var parts = topic.Split('/');
        if (parts.Length is < 4 or > 5)
            return MappingResult.Reject(RejectReason.UnmappedTopic, $"'{topic}' is not spBv1.0/group/type/edge-node[/device]");
        var (group, type, node, device) = (parts[1], parts[2], parts[3], parts.Length == 5 ? parts[4] : null);
        if (type is not ("NBIRTH" or "NDATA" or "DBIRTH" or "DDATA")) return new MappingResult([], null);

        SparkplugPayload decoded;
        try { decoded = SparkplugPayload.Decode(payload); }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            return MappingResult.Reject(RejectReason.BadSparkplug, "payload is not a Sparkplug B protobuf: " + ex.Message);
        }

        var key = (group, node, device);
        if (type.EndsWith("BIRTH", StringComparison.Ordinal)) _aliases[key] = [];
        _aliases.TryGetValue(key, out var aliases);
        var site = options.SiteFrom == "group" ? group : defaultSite;
        var asset = device ?? node;
        var readings = new List<Reading>(decoded.Metrics.Count);
        for (var i = 0; i < decoded.Metrics.Count; i++)
        {
            var m = decoded.Metrics[i];
            var name = m.Name;
            if (type.EndsWith("BIRTH", StringComparison.Ordinal) && name is not null && m.Alias is { } a) aliases![a] = name;
            if (string.IsNullOrEmpty(name) && m.Alias is { } alias && (aliases is null || !aliases.TryGetValue(alias, out name)))
                return MappingResult.Reject(RejectReason.UnknownAlias, $"metrics[{i}]: alias {alias} was not announced by a {(device is null ? "NBIRTH" : "DBIRTH")} of {group}/{node}{(device is null ? "" : "/" + device)}");
            if (m.Value is not { } value || string.IsNullOrEmpty(name)) continue; // strings, datasets, nulls: not telemetry
            if (!double.IsFinite(value))
                return MappingResult.Reject(RejectReason.NonFiniteValue, $"metrics[{i}] '{name}': value {value} is not finite");
            var millis = m.TimestampMillis ?? decoded.TimestampMillis;
            if (millis is null && requireDeviceTimestamp)
                return MappingResult.Reject(RejectReason.RetainedWithoutTimestamp, $"metrics[{i}] '{name}': a retained message without a timestamp would date an old value as new");
            var timestamp = millis is { } ms && ms < long.MaxValue / 1000 ? (long)ms * 1000 : receivedMicros;
            if (timestamp < _minTimestampMicros)
                return MappingResult.Reject(RejectReason.BadTimestamp, $"metrics[{i}] '{name}': timestamp before Validation:MinTimestamp");
            if (timestamp - receivedMicros > (long)validation.MaxFutureSkew.TotalMicroseconds)
                return MappingResult.Reject(RejectReason.FutureTimestamp, $"metrics[{i}] '{name}': timestamp is ahead of the agent's clock by more than Validation:MaxFutureSkew");
            var quality = m.Quality switch { null or >= 192 => Quality.Good, >= 64 => Quality.Uncertain, _ => Quality.Bad };
            var sensor = name.Replace('/', '.');
            if (sensor.Length > validation.MaxIdentifierLength || asset.Length > validation.MaxIdentifierLength)
                return MappingResult.Reject(RejectReason.BadIdentifier, $"metrics[{i}]: asset or sensor longer than Validation:MaxIdentifierLength");
            readings.Add(new Reading(site, asset, sensor, timestamp, value, quality, "", "mqtt:" + topic, receivedMicros));
        }
        return new MappingResult(readings, null);
    }
}
