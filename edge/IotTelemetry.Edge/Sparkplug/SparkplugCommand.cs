using IotTelemetry.Edge.Sparkplug.Internal;

namespace IotTelemetry.Edge.Sparkplug;

/// <summary>
/// Commands the host application sends to edge nodes, encoded as Sparkplug B payloads (<c>sparkplug_b.proto</c>:
/// Payload {timestamp 1, metrics 2}; Metric {name 1, timestamp 3, datatype 4, boolean_value 14}).
/// </summary>
public static class SparkplugCommand
{
    public const string RebirthMetric = "Node Control/Rebirth";
    private const uint Boolean = 11;

    /// <summary>The NCMD topic of an edge node.</summary>
    public static string NodeCommandTopic(string group, string node) => $"spBv1.0/{group}/NCMD/{node}";

    /// <summary>An NCMD payload asking the edge node to publish its NBIRTH and DBIRTHs again.</summary>
    public static byte[] Rebirth(ulong timestampMillis)
    {
        var metric = new ProtoWriter();
        metric.WriteString(1, RebirthMetric);
        metric.WriteVarint(3, timestampMillis);
        metric.WriteVarint(4, Boolean);
        metric.WriteVarint(14, 1);
        var payload = new ProtoWriter();
        payload.WriteVarint(1, timestampMillis);
        payload.WriteMessage(2, metric);
        return payload.Written.ToArray();
    }
}
