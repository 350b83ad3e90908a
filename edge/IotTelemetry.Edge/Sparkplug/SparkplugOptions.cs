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

    public void Validate(ConfigErrors errors)
    {
        if (!Enabled) return;
        errors.Require(TopicFilter.StartsWith("spBv1.0/", StringComparison.Ordinal), "Sparkplug:TopicFilter", "a filter under spBv1.0/, e.g. spBv1.0/#", TopicFilter);
        errors.Require(SiteFrom is "agent" or "group", "Sparkplug:SiteFrom", "agent or group", SiteFrom);
    }
}
