using System.Globalization;
using System.Text;

namespace IotTelemetry.Lake;

/// <summary>One event-time partition of the readings: a site and a UTC hour, the directory <c>site=S/date=YYYY-MM-DD/hour=HH</c>.</summary>
public readonly record struct LakePartition(string Site, long HourStartMicros)
{
    private const long MicrosPerHour = 3_600_000_000;

    /// <summary>The partition of a reading of <paramref name="site"/> at <paramref name="timestampMicros"/> (µs since the epoch).</summary>
    public static LakePartition Of(string site, long timestampMicros) =>
        new(site, Math.DivRem(timestampMicros, MicrosPerHour, out var rem) * MicrosPerHour - (rem < 0 ? MicrosPerHour : 0));

    public DateTimeOffset HourStart => DateTimeOffset.UnixEpoch.AddTicks(HourStartMicros * 10);

    /// <summary><c>site=plant-a/date=2026-11-22/hour=09</c>.</summary>
    public string RelativeDirectory
    {
        get
        {
            var t = HourStart;
            return string.Create(CultureInfo.InvariantCulture, $"site={Escape(Site)}/date={t:yyyy-MM-dd}/hour={t:HH}");
        }
    }

    /// <summary>The partition a directory names (the inverse of <see cref="RelativeDirectory"/>); throws when it is not <c>site=/date=/hour=</c>.</summary>
    public static LakePartition Parse(string relativeDirectory)
    {
        var parts = relativeDirectory.Trim('/').Split('/');
        if (parts.Length != 3 || !parts[0].StartsWith("site=", StringComparison.Ordinal) || !parts[1].StartsWith("date=", StringComparison.Ordinal)
            || !parts[2].StartsWith("hour=", StringComparison.Ordinal)
            || !DateTime.TryParseExact(parts[1][5..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            || !int.TryParse(parts[2][5..], NumberStyles.None, CultureInfo.InvariantCulture, out var hour) || hour > 23)
            throw new ArgumentException($"Expected a partition like site=plant-a/date=2026-11-22/hour=09, got '{relativeDirectory}'", nameof(relativeDirectory));
        var start = new DateTimeOffset(date, TimeSpan.Zero).AddHours(hour);
        return new LakePartition(Unescape(parts[0][5..]), (start - DateTimeOffset.UnixEpoch).Ticks / 10);
    }

    /// <summary>Hive escaping of characters that cannot stand in a path segment.</summary>
    private static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
            if (c is '/' or '\\' or '=' or '%' or ':' or '#' or '?' or '*' || char.IsControl(c)) sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else sb.Append(c);
        return sb.ToString();
    }

    private static string Unescape(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal)) return value;
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
            if (value[i] == '%' && i + 2 < value.Length
                && int.TryParse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                sb.Append((char)code);
                i += 2;
            }
            else sb.Append(value[i]);
        return sb.ToString();
    }
}
