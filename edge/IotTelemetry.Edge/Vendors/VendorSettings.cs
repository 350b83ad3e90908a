using IotTelemetry.Common.Configuration;

namespace IotTelemetry.Edge.Vendors;

/// <summary>Validation of section <c>Vendors</c> as a whole: each policy, then names and topics that must not collide.</summary>
public static class VendorSettings
{
    public static void Validate(List<VendorPolicy> vendors, string telemetryTopic, ConfigErrors errors)
    {
        for (var i = 0; i < vendors.Count; i++) vendors[i].Validate($"Vendors:{i}", errors);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var topics = new HashSet<string>(StringComparer.Ordinal) { telemetryTopic };
        for (var i = 0; i < vendors.Count; i++)
        {
            var v = vendors[i];
            if (!v.Enabled) continue;
            errors.Require(names.Add(v.Name), $"Vendors:{i}:Name", "a vendor name used once", v.Name);
            errors.Require(topics.Add(v.EdgeTopic), $"Vendors:{i}:Topic", "a topic no other vendor (nor telemetry) uses", v.EdgeTopic);
            errors.Require(topics.Add(v.PolicyTopicName), $"Vendors:{i}:PolicyTopic", "a topic no other vendor (nor telemetry) uses", v.PolicyTopicName);
        }
    }
}
