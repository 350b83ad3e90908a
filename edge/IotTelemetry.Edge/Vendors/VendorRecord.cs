using System.Globalization;
using System.Text;
using System.Text.Json;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Edge.Vendors;

/// <summary>
/// The vendor's record: self-describing JSON following <c>schemas/vendor-reading.v1.schema.json</c>.
/// Only fields the policy allows are written; identifiers are already replaced by pseudonyms.
/// </summary>
public static class VendorRecord
{
    /// <summary>The value of the <c>schema</c> field of every record of this version.</summary>
    public const string Schema = "iott.vendor-reading/1";

    /// <summary>One reading as the vendor sees it.</summary>
    public static CuratedRecord FromReading(VendorPolicy policy, Reading r) =>
        Build(policy, r.Site, r.Asset, r.Sensor, r.TimestampMicros, w =>
        {
            if (policy.Allows("value")) w.WriteNumber("value", r.Value);
            if (policy.Allows("unit")) w.WriteString("unit", r.Unit);
            if (policy.Allows("quality")) w.WriteString("quality", QualityName(r.Quality));
            if (policy.Allows("source")) w.WriteString("source", r.Source);
            if (policy.Allows("ingestTs")) w.WriteString("ingestTs", Iso(r.IngestTimeMicros));
        });

    /// <summary>The average of one sensor's readings in one window; ts is the window start.</summary>
    public static CuratedRecord FromWindow(VendorPolicy policy, SensorWindow window) =>
        Build(policy, window.Site, window.Asset, window.Sensor, window.StartMicros, w =>
        {
            if (policy.Allows("value")) w.WriteNumber("value", window.Mean);
            if (policy.Allows("unit")) w.WriteString("unit", window.Unit);
            if (policy.Allows("quality")) w.WriteString("quality", QualityName(window.WorstQuality));
            w.WriteStartObject("window");
            w.WriteString("start", Iso(window.StartMicros));
            w.WriteString("end", Iso(window.EndMicros));
            w.WriteNumber("count", window.Count);
            w.WriteEndObject();
        });

    public static string QualityName(Quality q) => q switch
    {
        Quality.Good => "good",
        Quality.Uncertain => "uncertain",
        _ => "bad",
    };

    /// <summary>RFC 3339 UTC with microseconds, e.g. <c>2026-11-21T08:00:00.123456Z</c>.</summary>
    public static string Iso(long micros) =>
        UnixMicros.ToDateTimeOffset(micros).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static CuratedRecord Build(VendorPolicy policy, string site, string asset, string sensor, long tsMicros, Action<Utf8JsonWriter> fields)
    {
        var shownSite = policy.SiteFor(site);
        var shownAsset = policy.AssetFor(asset);
        using var buffer = new MemoryStream(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("vendor", policy.Name);
            w.WriteString("site", shownSite);
            w.WriteString("asset", shownAsset);
            w.WriteString("sensor", sensor);
            w.WriteString("ts", Iso(tsMicros));
            fields(w);
            w.WriteEndObject();
        }
        return new CuratedRecord(Encoding.UTF8.GetBytes(SensorKey.Of(shownSite, shownAsset, sensor)), buffer.ToArray(), tsMicros);
    }
}
