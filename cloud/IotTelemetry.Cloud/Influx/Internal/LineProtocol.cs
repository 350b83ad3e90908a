using System.Globalization;
using System.Text;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Cloud.Influx.Internal;

/// <summary>
/// Readings as InfluxDB line protocol: <c>measurement,site=..,asset=..,sensor=..,quality=..,unit=.. value=1.5 TIMESTAMP_US</c>.
/// Tag keys are written sorted (what InfluxDB stores anyway); empty tag values are left out, as the protocol requires.
/// </summary>
internal static class LineProtocol
{
    /// <summary>Appends one line; false (nothing appended) for a value InfluxDB cannot store (NaN, infinity).</summary>
    public static bool Append(StringBuilder sb, string measurement, Reading r)
    {
        if (!double.IsFinite(r.Value)) return false;
        Escape(sb, measurement, measurementName: true);
        Tag(sb, "asset", r.Asset);
        Tag(sb, "quality", QualityName(r.Quality));
        Tag(sb, "sensor", r.Sensor);
        Tag(sb, "site", r.Site);
        Tag(sb, "unit", r.Unit);
        sb.Append(" value=").Append(r.Value.ToString("R", CultureInfo.InvariantCulture));
        sb.Append(' ').Append(r.TimestampMicros.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return true;
    }

    public static string QualityName(Quality q) => q switch
    {
        Quality.Good => "good",
        Quality.Uncertain => "uncertain",
        _ => "bad",
    };

    private static void Tag(StringBuilder sb, string key, string value)
    {
        if (string.IsNullOrEmpty(value)) return;
        sb.Append(',').Append(key).Append('=');
        Escape(sb, value, measurementName: false);
    }

    private static void Escape(StringBuilder sb, string text, bool measurementName)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case ',' or ' ':
                    sb.Append('\\').Append(c);
                    break;
                case '=' when !measurementName:
                    sb.Append("\\=");
                    break;
                case '\n' or '\r':
                    sb.Append("\\ "); // line breaks cannot be escaped: written as an escaped space
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
    }
}
