using System.Globalization;

namespace IotTelemetry.Lake.Rollups;

/// <summary>
/// One rollup dataset: the interval its rows summarise and how its files are partitioned. Each tier is its own
/// dataset root with its own Hive layout, beside the raw readings: <c>rollup-1m/site=S/date=YYYY-MM-DD/</c> (a day
/// of minutes per directory) and <c>rollup-1h/site=S/month=YYYY-MM/</c> (a month of hours), so retention drops whole
/// directories and a reader of a range opens only the directories it overlaps.
/// </summary>
public sealed class RollupTier
{
    private RollupTier(string name, long bucketMicros, bool monthly)
    {
        Name = name;
        BucketMicros = bucketMicros;
        _monthly = monthly;
    }

    private readonly bool _monthly;

    public static readonly RollupTier Minute = new("1m", 60_000_000, monthly: false);
    public static readonly RollupTier Hour = new("1h", 3_600_000_000, monthly: true);
    public static readonly IReadOnlyList<RollupTier> All = [Minute, Hour];

    /// <summary><c>1m</c> or <c>1h</c>.</summary>
    public string Name { get; }

    /// <summary>The dataset's directory under the rollup root and its name in catalogs: <c>rollup-1m</c>.</summary>
    public string Dataset => "rollup-" + Name;

    /// <summary>What produced the files, in their <c>iott.processing</c> metadata: <c>rollup-1m</c>.</summary>
    public string Processing => Dataset;

    public long BucketMicros { get; }

    /// <summary><c>date</c> or <c>month</c>: the partition key below <c>site</c>.</summary>
    public string PeriodKey => _monthly ? "month" : "date";

    /// <summary>The tier by its name (<c>1m</c>, <c>1h</c>) or dataset (<c>rollup-1m</c>); null when unknown.</summary>
    public static RollupTier? Parse(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(t.Dataset, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The start of the interval holding <paramref name="micros"/> (floor, also before 1970).</summary>
    public long BucketStart(long micros) => Math.DivRem(micros, BucketMicros, out var rem) * BucketMicros - (rem < 0 ? BucketMicros : 0);

    /// <summary>The partition directory of an interval, relative to the dataset root: <c>site=plant-a/date=2026-11-22</c>.</summary>
    public string PartitionOf(string site, long bucketMicros)
    {
        var t = DateTimeOffset.UnixEpoch.AddTicks(bucketMicros * 10);
        var period = t.ToString(_monthly ? "yyyy-MM" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"site={HivePath.Escape(site)}/{PeriodKey}={period}";
    }

    /// <summary>The UTC period a partition directory (<c>site=S/date=D</c> or <c>site=S/month=M</c>) covers; throws when it is neither.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) PeriodOf(string partition)
    {
        var parts = partition.Trim('/').Split('/');
        var prefix = PeriodKey + "=";
        var format = _monthly ? "yyyy-MM" : "yyyy-MM-dd";
        if (parts.Length != 2 || !parts[0].StartsWith("site=", StringComparison.Ordinal) || !parts[1].StartsWith(prefix, StringComparison.Ordinal)
            || !DateTime.TryParseExact(parts[1][prefix.Length..], format, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var start))
            throw new ArgumentException($"Expected a {Dataset} partition like site=plant-a/{prefix}{(_monthly ? "2026-11" : "2026-11-22")}, got '{partition}'", nameof(partition));
        var from = new DateTimeOffset(start, TimeSpan.Zero);
        return (from, _monthly ? from.AddMonths(1) : from.AddDays(1));
    }

    /// <summary>True when the partition's period overlaps [<paramref name="fromMicros"/>, <paramref name="toMicros"/>).</summary>
    public bool Overlaps(string partition, long fromMicros, long toMicros)
    {
        var (start, end) = PeriodOf(partition);
        return Micros(start) < toMicros && Micros(end) > fromMicros;
    }

    private static long Micros(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).Ticks / 10;

    public override string ToString() => Dataset;
}
