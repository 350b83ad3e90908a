namespace IotTelemetry.Lake.Catalog;

/// <summary>
/// What one site's edge agent shares with an equipment vendor (its <c>Vendors:N</c> policy): derived from the same
/// readings as the lake, curated at the edge into <see cref="EdgeTopic"/> and mirrored to <see cref="CloudTopic"/>.
/// </summary>
public sealed record VendorShare(
    string Vendor,
    string Site,
    string SourceTopic,
    string EdgeTopic,
    string CloudTopic,
    List<string> Assets,
    List<string> Fields,
    string? Downsample,
    Dictionary<string, string> SitePseudonyms,
    Dictionary<string, string> AssetPseudonyms,
    string PolicyVersion,
    string Summary);
