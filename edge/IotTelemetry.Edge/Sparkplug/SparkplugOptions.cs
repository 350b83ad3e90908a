using IotTelemetry.Common.Configuration;

namespace IotTelemetry.Edge.Sparkplug;

/// <summary>Section <c>Sparkplug</c>: Sparkplug B (protobuf) payloads on <c>spBv1.0/...</c> topics.</summary>
public sealed class SparkplugOptions
{
    /// <summary>Subscribe to Sparkplug B topics and decode their payloads.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The subscription; <c>spBv1.0/#</c> takes every group.</summary>
    public string TopicFilter { get; set; } = "spBv1.0/#";

    /// <summary><c>agent</c>: readings get Edge:Site; <c>group</c>: the Sparkplug group id is the site.</summary>
    public string SiteFrom { get; set; } = "agent";

    /// <summary>
    /// The Sparkplug host id: when set, the agent is a Sparkplug host application. It publishes its STATE on
    /// <c>spBv1.0/STATE/{HostId}</c> (the MQTT will says offline), checks every edge node's seq, and asks for a rebirth
    /// (NCMD <c>Node Control/Rebirth</c>) on a gap, an unknown alias or data before a birth. Null: decode only.
    /// </summary>
    public string? HostId { get; set; }

    /// <summary>Least time between two rebirth requests to the same edge node (a node that keeps failing is not flooded).</summary>
    public TimeSpan RebirthMinInterval { get; set; } = TimeSpan.FromSeconds(5);

    public void Validate(ConfigErrors errors)
    {
        if (!Enabled) return;
        errors.Require(TopicFilter.StartsWith("spBv1.0/", StringComparison.Ordinal), "Sparkplug:TopicFilter", "a filter under spBv1.0/, e.g. spBv1.0/#", TopicFilter);
        errors.Require(SiteFrom is "agent" or "group", "Sparkplug:SiteFrom", "agent or group", SiteFrom);
        if (HostId is not null)
            errors.Require(HostId.Length > 0 && HostId.IndexOfAny(['/', '+', '#', '\0']) < 0, "Sparkplug:HostId",
                "a non-empty id without / + # or NUL (it is an MQTT topic level)", HostId);
        errors.Require(RebirthMinInterval >= TimeSpan.Zero, "Sparkplug:RebirthMinInterval", "a duration of 0 or more (e.g. 00:00:05)", RebirthMinInterval);
    }
}
