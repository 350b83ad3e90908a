namespace IotTelemetry.Lake.Catalog;

/// <summary>
/// One input named in the <c>source</c> column, taken apart: <c>mqtt:plants/a/pump-07/vibration</c> is the MQTT topic
/// (a <c>#rule/shape</c> suffix names the payload layout), <c>opcua:opc.tcp://host:4840/UA#ns=1;s=Pump1.Temperature</c>
/// an OPC UA endpoint and node. Readings decoded from Sparkplug B name their MQTT topic too.
/// </summary>
public sealed record SourceRef(string Source, string Kind, string Address, string? Node, long Rows)
{
    public static SourceRef Parse(string source, long rows)
    {
        ArgumentNullException.ThrowIfNull(source);
        var colon = source.IndexOf(':');
        if (colon < 0) return new(source, "other", source, null, rows);
        var kind = source[..colon];
        var rest = source[(colon + 1)..];
        var hash = kind == "opcua" ? rest.LastIndexOf('#') : rest.IndexOf('#');
        return kind switch
        {
            "opcua" when hash > 0 => new(source, kind, rest[..hash], rest[(hash + 1)..], rows),
            "mqtt" when hash > 0 => new(source, kind, rest[..hash], null, rows),
            "mqtt" or "opcua" => new(source, kind, rest, null, rows),
            _ => new(source, "other", source, null, rows),
        };
    }
}
