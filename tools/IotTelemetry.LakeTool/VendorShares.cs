using System.Globalization;
using IotTelemetry.Common.Configuration;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Edge.Vendors;
using IotTelemetry.Lake.Catalog;
using Microsoft.Extensions.Configuration;

namespace IotTelemetry.LakeTool;

/// <summary>
/// The vendor shares of the catalog, read from edge agents' configuration files (<c>--vendors</c>): the cloud does not know
/// what each plant's agent shares, the agent's own file does. Each file is bound and validated as the agent does it.
/// </summary>
public static class VendorShares
{
    public static List<VendorShare> FromEdgeConfig(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ArgumentException($"Expected --vendors to name an edge agent's JSON configuration file, '{full}' does not exist");
        var configuration = new ConfigurationBuilder().AddJsonFile(full, optional: false).Build();
        var errors = new ConfigErrors();
        var site = configuration["Edge:Site"];
        errors.Require(!string.IsNullOrWhiteSpace(site), "Edge:Site", $"the site of the edge agent configured in {full}", site ?? "none");
        var telemetry = configuration["Topics:Telemetry"] ?? "telemetry";
        var vendors = ServiceHost.Bind<List<VendorPolicy>>(configuration, "Vendors", errors);
        VendorSettings.Validate(vendors, telemetry, errors);
        errors.ThrowIfAny();
        return [.. vendors.Where(v => v.Enabled).Select(v => Of(v, site!, telemetry))];
    }

    public static VendorShare Of(VendorPolicy policy, string site, string sourceTopic)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var downsample = policy.Downsample?.ToString("c", CultureInfo.InvariantCulture);
        var pseudonyms = policy.SitePseudonyms.Count + policy.AssetPseudonyms.Count > 0 ? ", with pseudonyms" : "";
        var summary = $"shared with vendor {policy.Name} from site {site}: assets {string.Join(", ", policy.Assets)}; fields {string.Join(", ", policy.AllowedFields)}; "
            + (downsample is null ? "not downsampled" : $"downsampled to one mean per sensor per {downsample}") + pseudonyms
            + $"; edge topic {policy.EdgeTopic}, cloud topic {policy.CloudTopicName}";
        return new VendorShare(policy.Name, site, sourceTopic, policy.EdgeTopic, policy.CloudTopicName, [.. policy.Assets], [.. policy.AllowedFields], downsample,
            new(policy.SitePseudonyms), new(policy.AssetPseudonyms), policy.Version, summary);
    }
}
