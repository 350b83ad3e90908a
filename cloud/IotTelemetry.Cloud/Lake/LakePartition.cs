using System.Globalization;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Cloud.Lake;

/// <summary>One event-time partition of the lake: a site and a UTC hour.</summary>
public readonly record struct LakePartition(string Site, long HourStartMicros)
{
    private const long MicrosPerHour = 3_600_000_000;

    /// <summary>Left by retention in place of a dropped partition's files: the sink writes nothing more there.</summary>
    public const string TombstoneFileName = "_TOMBSTONE.json";

    public static LakePartition Of(Reading r) => new(r.Site, Math.DivRem(r.TimestampMicros, MicrosPerHour, out var rem) * MicrosPerHour - (rem < 0 ? MicrosPerHour : 0));

    /// <summary><c>site=plant-a/date=2026-11-22/hour=09</c>.</summary>
    public string RelativeDirectory
    {
        get
        {
            var t = UnixMicros.ToDateTimeOffset(HourStartMicros);
            return string.Create(CultureInfo.InvariantCulture, $"site={Escape(Site)}/date={t:yyyy-MM-dd}/hour={t:HH}");
        }
    }

    /// <summary>Hive escaping of characters that cannot stand in a path segment.</summary>
    private static string Escape(string value)
    {
        var sb = new System.Text.StringBuilder(value.Length);
        foreach (var c in value)
            if (c is '/' or '\\' or '=' or '%' or ':' or '#' or '?' or '*' || char.IsControl(c)) sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else sb.Append(c);
        return sb.ToString();
    }
}
