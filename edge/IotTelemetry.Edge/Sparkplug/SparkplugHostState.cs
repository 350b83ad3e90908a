using System.Text.Json;

namespace IotTelemetry.Edge.Sparkplug;

/// <summary>
/// The host application's STATE message (Sparkplug 3.0): <c>spBv1.0/STATE/{host id}</c>, retained, QoS 1, JSON
/// <c>{"online":true|false,"timestamp":ms}</c>. The death (the MQTT will) and the birth that follows the connect carry
/// the same timestamp, so an edge node can tell a late will from the current session's.
/// </summary>
public static class SparkplugHostState
{
    public static string Topic(string hostId) => "spBv1.0/STATE/" + hostId;

    public static byte[] Payload(bool online, long timestampMillis) =>
        JsonSerializer.SerializeToUtf8Bytes(new StatePayload(online, timestampMillis), StateJson.Default.StatePayload);

    /// <summary>True when <paramref name="payload"/> says <c>"online":false</c> (a will, possibly of an older session).</summary>
    public static bool SaysOffline(ReadOnlySpan<byte> payload)
    {
        try { return JsonSerializer.Deserialize(payload, StateJson.Default.StatePayload) is { Online: false }; }
        catch (JsonException) { return false; }
    }
}

public sealed record StatePayload(bool Online, long Timestamp);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(StatePayload))]
internal sealed partial class StateJson : System.Text.Json.Serialization.JsonSerializerContext;
