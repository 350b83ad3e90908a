using System.Globalization;

namespace IotTelemetry.Lake.Catalog;

/// <summary>A partition directory's <c>key=value</c> segments read back (Hive escaping undone), and the time range they name.</summary>
public static class PartitionValues
{
    /// <summary><c>site=plant-a/date=2026-11-22/hour=09</c> to (site, plant-a), (date, 2026-11-22), (hour, 09), in order.</summary>
    public static List<KeyValuePair<string, string>> Of(string partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        var values = new List<KeyValuePair<string, string>>();
        foreach (var segment in partition.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = segment.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) values.Add(new(segment[..eq], Uri.UnescapeDataString(segment[(eq + 1)..])));
        }
        return values;
    }

    public static string? Value(this List<KeyValuePair<string, string>> values, string key) =>
        values.FirstOrDefault(v => v.Key == key).Value;

    /// <summary>
    /// The event-time range the names can hold, from <c>date=YYYY-MM-DD</c> and <c>hour=HH</c> when present (a day without an
    /// hour key); null when there is no date, so only the files' statistics can tell.
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? NamedTimeRange(List<KeyValuePair<string, string>> values)
    {
        if (values.Value("date") is not { } date || !DateTime.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day))
            return null;
        var start = new DateTimeOffset(day, TimeSpan.Zero);
        if (values.Value("hour") is { } hour && int.TryParse(hour, NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h is >= 0 and < 24)
            return (start.AddHours(h), start.AddHours(h + 1));
        return (start, start.AddDays(1));
    }
}
