using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IotTelemetry.Common.Configuration;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Edge.Vendors;

/// <summary>
/// One element of configuration section <c>Vendors</c>: what one equipment vendor may see. Only readings
/// whose <c>site/asset/sensor</c> matches one of <see cref="Assets"/> reach the vendor topic, with only the
/// fields in <see cref="Fields"/>, optionally averaged per <see cref="Downsample"/> window and renamed.
/// </summary>
public sealed class VendorPolicy
{
    /// <summary>Optional fields a policy may allow; site, asset, sensor and ts are always present.</summary>
    public static readonly string[] OptionalFields = ["value", "unit", "quality", "source", "ingestTs"];

    /// <summary>The vendor's id: letters, digits, '-', '_' or '.'; it names the topics by default.</summary>
    public string Name { get; set; } = "";

    public bool Enabled { get; set; } = true;

    /// <summary>Edge topic of curated records; defaults to <c>vendor.{Name}</c>.</summary>
    public string? Topic { get; set; }

    /// <summary>Cloud topic the curated topic is mirrored to; defaults to <see cref="Topic"/>.</summary>
    public string? CloudTopic { get; set; }

    /// <summary>Edge-only topic keeping every policy version used (never mirrored); defaults to <c>{Topic}.policy</c>.</summary>
    public string? PolicyTopic { get; set; }

    /// <summary>Patterns <c>site/asset/sensor</c>, each segment a glob with <c>*</c> and <c>?</c>, e.g. <c>plant-a/pump-*/*</c>.</summary>
    public List<string> Assets { get; set; } = [];

    /// <summary>
    /// Allowed optional fields, from <see cref="OptionalFields"/>; when not configured, only <c>value</c>.
    /// (Null rather than a non-empty default: the configuration binder adds to a list, it does not replace it.)
    /// </summary>
    public List<string>? Fields { get; set; }

    /// <summary><see cref="Fields"/> or its default.</summary>
    public IReadOnlyList<string> AllowedFields => Fields ?? ["value"];

    /// <summary>When set, one averaged value per sensor per window of this length (event time).</summary>
    public TimeSpan? Downsample { get; set; }

    /// <summary>Real site id -> the name the vendor sees.</summary>
    public Dictionary<string, string> SitePseudonyms { get; set; } = [];

    /// <summary>Real asset id -> the name the vendor sees.</summary>
    public Dictionary<string, string> AssetPseudonyms { get; set; } = [];

    /// <summary>Consumer group on the edge telemetry topic; defaults to <c>iott-vendor-{Name}</c>.</summary>
    public string? GroupId { get; set; }

    /// <summary>Mirror id stamped on the cloud copies; defaults to this site's pseudonym (or the site).</summary>
    public string? MirrorId { get; set; }

    public string EdgeTopic => string.IsNullOrEmpty(Topic) ? "vendor." + Name : Topic;
    public string CloudTopicName => string.IsNullOrEmpty(CloudTopic) ? EdgeTopic : CloudTopic;
    public string PolicyTopicName => string.IsNullOrEmpty(PolicyTopic) ? EdgeTopic + ".policy" : PolicyTopic;
    public string ConsumerGroup => string.IsNullOrEmpty(GroupId) ? "iott-vendor-" + Name : GroupId;

    public bool Allows(string field) => AllowedFields.Contains(field, StringComparer.Ordinal);

    /// <summary>True when the reading's site/asset/sensor matches one of the patterns.</summary>
    public bool Matches(Reading r)
    {
        foreach (var pattern in Assets)
        {
            var parts = pattern.Split('/');
            if (parts.Length == 3 && SegmentGlob.IsMatch(parts[0], r.Site) && SegmentGlob.IsMatch(parts[1], r.Asset) &&
                SegmentGlob.IsMatch(parts[2], r.Sensor))
                return true;
        }
        return false;
    }

    public string SiteFor(string site) => SitePseudonyms.TryGetValue(site, out var p) ? p : site;
    public string AssetFor(string asset) => AssetPseudonyms.TryGetValue(asset, out var p) ? p : asset;

    /// <summary>The policy's content as canonical JSON (what decides which records are produced).</summary>
    public string ToCanonicalJson() => JsonSerializer.Serialize(new PolicyContent(
        Name, [.. Assets], [.. AllowedFields], Downsample?.Ticks,
        new SortedDictionary<string, string>(SitePseudonyms, StringComparer.Ordinal),
        new SortedDictionary<string, string>(AssetPseudonyms, StringComparer.Ordinal)));

    /// <summary>A short hash of <see cref="ToCanonicalJson"/>: records carry it, so a change of policy is seen on restart.</summary>
    public string Version => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToCanonicalJson())))[..16];

    public static VendorPolicy FromCanonicalJson(string json)
    {
        var c = JsonSerializer.Deserialize<PolicyContent>(json) ?? throw new JsonException("Expected a policy object but got null");
        return new VendorPolicy
        {
            Name = c.Name, Assets = [.. c.Assets], Fields = [.. c.Fields],
            Downsample = c.DownsampleTicks is { } t ? TimeSpan.FromTicks(t) : null,
            SitePseudonyms = new(c.SitePseudonyms), AssetPseudonyms = new(c.AssetPseudonyms),
        };
    }

    /// <summary>Checks the policy; <paramref name="key"/> is its configuration path, e.g. <c>Vendors:0</c>.</summary>
    public void Validate(string key, ConfigErrors errors)
    {
        errors.Require(Name.Length > 0 && Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'), key + ":Name",
            "a vendor id of letters, digits, '-', '_' or '.'", Name);
        errors.Require(Assets.Count > 0, key + ":Assets", "at least one site/asset/sensor pattern", "none");
        for (var i = 0; i < Assets.Count; i++)
        {
            var parts = Assets[i].Split('/');
            errors.Require(parts.Length == 3 && parts.All(p => p.Length > 0), $"{key}:Assets:{i}",
                "a pattern site/asset/sensor with globs such as plant-a/pump-*/*", Assets[i]);
        }
        for (var i = 0; i < AllowedFields.Count; i++)
            errors.Require(OptionalFields.Contains(AllowedFields[i], StringComparer.Ordinal), $"{key}:Fields:{i}",
                "one of " + string.Join(", ", OptionalFields), AllowedFields[i]);
        if (Downsample is { } window)
        {
            errors.Require(window >= TimeSpan.FromMilliseconds(1) && window.Ticks % TimeSpan.TicksPerMillisecond == 0 && window <= TimeSpan.FromDays(1),
                key + ":Downsample", "a whole number of milliseconds from 00:00:00.001 to 1.00:00:00", window);
            foreach (var f in new[] { "source", "ingestTs" })
                errors.Require(!Allows(f), key + ":Fields", $"no '{f}' with Downsample (an average has no single {f})", f);
        }
        foreach (var (real, pseudo) in SitePseudonyms.Concat(AssetPseudonyms))
            errors.Require(!string.IsNullOrWhiteSpace(pseudo) && pseudo.AsSpan().IndexOfAny("/+#") < 0, $"{key}:Pseudonyms:{real}",
                "a non-empty pseudonym without / + or #", pseudo);
        foreach (var (name, topic) in new[] { ("Topic", EdgeTopic), ("CloudTopic", CloudTopicName), ("PolicyTopic", PolicyTopicName) })
            errors.Require(topic.Length is > 0 and <= 249 && topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'),
                key + ":" + name, "a Kafka topic name (letters, digits, '-', '_', '.')", topic);
        errors.Require(PolicyTopicName != EdgeTopic, key + ":PolicyTopic", "a topic other than the vendor topic", PolicyTopicName);
    }

    private sealed record PolicyContent(string Name, string[] Assets, string[] Fields, long? DownsampleTicks,
        SortedDictionary<string, string> SitePseudonyms, SortedDictionary<string, string> AssetPseudonyms);
}
