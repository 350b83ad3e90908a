using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Sparkplug.Internal;
using IotTelemetry.Edge.Validation;

namespace IotTelemetry.Edge.Sparkplug;

/// <summary>
/// Turns Sparkplug B messages (<c>spBv1.0/{group}/{type}/{edge node}[/{device}]</c>) into readings: asset = device id
/// (or edge node id for node metrics), sensor = metric name ('/' becomes '.'), numeric metrics only (Int*, UInt*,
/// Float, Double, Boolean). BIRTH messages teach the metric aliases that DATA messages may use instead of names; an
/// alias never announced dead-letters the message. An NDEATH (of the current birth's bdSeq) or DDEATH turns every
/// sensor the birth announced into a reading of quality Bad (its last value, at the time the death arrived), until
/// the next birth. With <see cref="SparkplugOptions.HostId"/> set it is a host application: each edge node's seq
/// must follow on from its last message, and a gap, an unknown alias or data before a birth dead-letters the message
/// and asks the node for a rebirth through <c>requestRebirth</c> (at most once per <see cref="SparkplugOptions.RebirthMinInterval"/>).
/// STATE and command messages carry no telemetry. Every metric's reading must pass the <see cref="ReadingValidator"/>; the
/// first that does not dead-letters the message. Not thread-safe: one ingest loop.
/// </summary>
public sealed class SparkplugMapper(SparkplugOptions options, ValidationOptions validation, string defaultSite, Action<RebirthRequest>? requestRebirth = null)
{
    private readonly Dictionary<(string Group, string Node), EdgeNodeSession> _nodes = [];
    private readonly ReadingValidator _validator = new(validation);
    private readonly bool _host = options.HostId is not null;

    public static bool IsSparkplugTopic(string topic) => topic.StartsWith("spBv1.0/", StringComparison.Ordinal);

    /// <param name="requireDeviceTimestamp">True for a retained message: a metric without a timestamp is refused.</param>
    public MappingResult Map(string topic, ReadOnlySpan<byte> payload, long receivedMicros, bool requireDeviceTimestamp = false)
    {
        if (payload.Length > validation.MaxPayloadBytes)
            return MappingResult.Reject(RejectReason.PayloadTooLarge,
                $"payload of {payload.Length} bytes exceeds Validation:MaxPayloadBytes = {validation.MaxPayloadBytes}");
        var parts = topic.Split('/');
        if (parts is [_, "STATE", _]) return new MappingResult([], null); // a host application's STATE
        if (parts.Length is < 4 or > 5)
            return MappingResult.Reject(RejectReason.UnmappedTopic, $"'{topic}' is not spBv1.0/group/type/edge-node[/device]");
        var (group, type, node, device) = (parts[1], parts[2], parts[3], parts.Length == 5 ? parts[4] : null);
        if (type is not ("NBIRTH" or "NDATA" or "DBIRTH" or "DDATA" or "NDEATH" or "DDEATH")) return new MappingResult([], null);

        SparkplugPayload decoded;
        try { decoded = SparkplugPayload.Decode(payload); }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            return MappingResult.Reject(RejectReason.BadSparkplug, "payload is not a Sparkplug B protobuf: " + ex.Message);
        }

        if (!_nodes.TryGetValue((group, node), out var session)) _nodes[(group, node)] = session = new EdgeNodeSession();
        var context = new Context(group, node, device, options.SiteFrom == "group" ? group : defaultSite, "mqtt:" + topic, receivedMicros);
        if (type == "NDEATH") return NodeDeath(session, decoded, context);
        MetricTable? table;
        if (type == "NBIRTH")
        {
            session.Born = true;
            session.BdSeq = BdSeqOf(decoded);
            session.Seq = decoded.Seq;
            session.Devices.Clear();
            table = session.Node = new MetricTable();
        }
        else
        {
            if (_host && Sequence(session, decoded, context) is { } refused) return refused;
            if (type == "DBIRTH")
            {
                table = new MetricTable();
                if (device is null) session.Node = table;
                else session.Devices[device] = table;
            }
            else
            {
                table = session.Table(device);
                if (table is null && _host)
                    return Rebirth(session, context, RejectReason.NotBorn, $"{type} of device {Name(context)} before its DBIRTH");
                if (type == "DDEATH") return DeviceDeath(session, table, context);
            }
        }
        return Metrics(type, decoded, table, session, context, requireDeviceTimestamp);
    }

    private readonly record struct Context(string Group, string Node, string? Device, string Site, string Source, long ReceivedMicros)
    {
        public string Asset => Device ?? Node;
    }

    private static string Name(Context c) => $"{c.Group}/{c.Node}{(c.Device is null ? "" : "/" + c.Device)}";

    /// <summary>Host application: a birth must come first, then seq + 1 (mod 256) on every message of the node.</summary>
    private MappingResult? Sequence(EdgeNodeSession session, SparkplugPayload decoded, Context context)
    {
        if (!session.Born)
            return Rebirth(session, context, RejectReason.NotBorn, $"a message of {Name(context)} before any NBIRTH of edge node {context.Group}/{context.Node}");
        var previous = session.Seq;
        if (decoded.Seq is { } seq) session.Seq = seq;
        if (previous is not { } last) return null;
        var expected = (last + 1) % 256;
        return decoded.Seq == expected ? null
            : Rebirth(session, context, RejectReason.SequenceGap, $"seq {decoded.Seq?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"} after {last}, expected {expected}");
    }

    private MappingResult Rebirth(EdgeNodeSession session, Context context, string reason, string detail)
    {
        if (requestRebirth is not null
            && (session.LastRebirthMicros is not { } last || context.ReceivedMicros - last >= (long)options.RebirthMinInterval.TotalMicroseconds))
        {
            session.LastRebirthMicros = context.ReceivedMicros;
            requestRebirth(new RebirthRequest(context.Group, context.Node, reason));
            detail += "; rebirth requested";
        }
        return MappingResult.Reject(reason, detail);
    }

    private static ulong? BdSeqOf(SparkplugPayload payload)
    {
        foreach (var m in payload.Metrics)
            if (m.Name == "bdSeq" && m.Value is { } v && v >= 0) return (ulong)v;
        return null;
    }

    /// <summary>An NDEATH of the current birth (same bdSeq, or none to compare) marks the node's and all its devices' sensors Bad.</summary>
    private static MappingResult NodeDeath(EdgeNodeSession session, SparkplugPayload decoded, Context context)
    {
        if (BdSeqOf(decoded) is { } bdSeq && session.BdSeq is { } current && bdSeq != current)
            return new MappingResult([], null); // the late will of an older session: the node is alive
        var readings = Stale(session.Node, context with { Device = null });
        foreach (var (id, table) in session.Devices) readings.AddRange(Stale(table, context with { Device = id }));
        session.Born = false;
        session.Seq = null;
        session.Node = new MetricTable();
        session.Devices.Clear();
        return new MappingResult(readings, null);
    }

    private static MappingResult DeviceDeath(EdgeNodeSession session, MetricTable? table, Context context)
    {
        if (table is null) return new MappingResult([], null);
        if (context.Device is { } id) session.Devices.Remove(id);
        else session.Node = new MetricTable();
        return new MappingResult(Stale(table, context), null);
    }

    /// <summary>A Bad reading, at the time the death arrived, of every sensor in <paramref name="table"/> (its last value).</summary>
    private static List<Reading> Stale(MetricTable table, Context context) =>
        table.LastValues.Select(kv => new Reading(context.Site, context.Asset, kv.Key, context.ReceivedMicros, kv.Value, Quality.Bad, "",
            context.Source, context.ReceivedMicros)).ToList();

    private MappingResult Metrics(string type, SparkplugPayload decoded, MetricTable? table, EdgeNodeSession session, Context context, bool requireDeviceTimestamp)
    {
        var birth = type.EndsWith("BIRTH", StringComparison.Ordinal);
        var (site, asset, receivedMicros) = (context.Site, context.Asset, context.ReceivedMicros);
        var readings = new List<Reading>(decoded.Metrics.Count);
        for (var i = 0; i < decoded.Metrics.Count; i++)
        {
            var m = decoded.Metrics[i];
            var name = m.Name;
            if (birth && name is not null && m.Alias is { } a) table!.Aliases[a] = name;
            if (string.IsNullOrEmpty(name) && m.Alias is { } alias && (table is null || !table.Aliases.TryGetValue(alias, out name)))
            {
                var detail = $"metrics[{i}]: alias {alias} was not announced by a {(context.Device is null ? "NBIRTH" : "DBIRTH")} of {Name(context)}";
                return _host ? Rebirth(session, context, RejectReason.UnknownAlias, detail) : MappingResult.Reject(RejectReason.UnknownAlias, detail);
            }
            if (m.Value is not { } value || string.IsNullOrEmpty(name)) continue; // strings, datasets, nulls: not telemetry
            if (birth && name == "bdSeq" && context.Device is null) continue; // session bookkeeping, not a sensor
            var millis = m.TimestampMillis ?? decoded.TimestampMillis;
            if (millis is null && requireDeviceTimestamp)
                return MappingResult.Reject(RejectReason.RetainedWithoutTimestamp, $"metrics[{i}] '{name}': a retained message without a timestamp would date an old value as new");
            var timestamp = millis is { } ms && ms < long.MaxValue / 1000 ? (long)ms * 1000 : receivedMicros;
            var quality = m.Quality switch { null or >= 192 => Quality.Good, >= 64 => Quality.Uncertain, _ => Quality.Bad };
            var reading = new Reading(site, asset, name.Replace('/', '.'), timestamp, value, quality, "", context.Source, receivedMicros);
            if (_validator.Check(reading) is { } refused) return MappingResult.Reject(refused.Reason, $"metrics[{i}] '{name}': {refused.Detail}");
            readings.Add(reading);
        }
        if (table is not null)
            foreach (var r in readings) table.LastValues[r.Sensor] = r.Value;
        return new MappingResult(readings, null);
    }
}
