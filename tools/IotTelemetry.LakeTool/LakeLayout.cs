using System.Globalization;

namespace IotTelemetry.LakeTool;

/// <summary>The sink's Hive layout as the tool sees it: <c>site=S/date=YYYY-MM-DD/hour=HH</c> directories of Parquet files.</summary>
public static class LakeLayout
{
    /// <summary>Same name the sink checks before writing into a partition (IotTelemetry.Cloud.Lake.LakePartition.TombstoneFileName).</summary>
    public const string TombstoneFileName = "_TOMBSTONE.json";

    /// <summary>Every <c>site=/date=/hour=</c> directory under <paramref name="root"/>, relative, with '/' separators.</summary>
    public static IEnumerable<string> Partitions(string root)
    {
        if (!Directory.Exists(root)) yield break;
        foreach (var site in Directory.EnumerateDirectories(root, "site=*").Order(StringComparer.Ordinal))
            foreach (var date in Directory.EnumerateDirectories(site, "date=*").Order(StringComparer.Ordinal))
                foreach (var hour in Directory.EnumerateDirectories(date, "hour=*").Order(StringComparer.Ordinal))
                    yield return Path.GetRelativePath(root, hour).Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>The UTC start of the hour a partition path names; throws when it is not <c>site=/date=/hour=</c>.</summary>
    public static DateTimeOffset HourStart(string partition)
    {
        var parts = partition.Trim('/').Split('/');
        if (parts.Length != 3 || !parts[0].StartsWith("site=", StringComparison.Ordinal) || !parts[1].StartsWith("date=", StringComparison.Ordinal)
            || !parts[2].StartsWith("hour=", StringComparison.Ordinal)
            || !DateTime.TryParseExact(parts[1][5..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            || !int.TryParse(parts[2][5..], NumberStyles.None, CultureInfo.InvariantCulture, out var hour) || hour > 23)
            throw new ArgumentException($"Expected a partition like site=plant-a/date=2026-11-22/hour=09, got '{partition}'", nameof(partition));
        return new DateTimeOffset(date, TimeSpan.Zero).AddHours(hour);
    }

    /// <summary>Parquet files under their final names (what a <c>**/*.parquet</c> glob shows), by name.</summary>
    public static List<string> DataFiles(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*.parquet").Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>
    /// Where the tool stages work: beside the root, not under it (<c>.lake.work/</c> for <c>data/lake</c>), because
    /// readers' recursive globs descend into every directory below the root, hidden or not. Same file system.
    /// </summary>
    public static string WorkDirectory(string root)
    {
        var full = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        return Path.Combine(Path.GetDirectoryName(full) ?? full, "." + Path.GetFileName(full) + ".work");
    }

    /// <summary>A file-name-safe id for a partition: <c>site=a/date=2026-11-22/hour=09</c> to <c>site=a_date=2026-11-22_hour=09</c>.</summary>
    public static string Id(string partition) => partition.Trim('/').Replace('/', '_');
}
