using IotTelemetry.Lake.Rollups;

namespace IotTelemetry.Lake;

/// <summary>
/// Section <c>Retention</c>: how long each dataset keeps a partition after its period ended, in days, enforced by
/// <c>iott-lake retention</c> and stated in the catalog. Raw readings about a year, 1-minute rollups two years, 1-hour rollups five.
/// Shared by the cloud host (which validates it at start-up) and the lake tool (which reads it with <c>--config</c>).
/// </summary>
public sealed class RetentionPolicy
{
    /// <summary>Raw readings (the <c>Lake:Root</c> dataset).</summary>
    public int RawDays { get; set; } = 365;

    /// <summary>The <c>rollup-1m</c> dataset.</summary>
    public int MinuteDays { get; set; } = 730;

    /// <summary>The <c>rollup-1h</c> dataset.</summary>
    public int HourDays { get; set; } = 1825;

    public int DaysFor(RollupTier tier) => tier == RollupTier.Minute ? MinuteDays : HourDays;

    /// <summary>The days for a dataset of the lake by its name: a rollup tier's own, the raw readings' for any other (the raw dataset is named by <c>Lake:Root</c>).</summary>
    public int DaysFor(string dataset) => RollupTier.Parse(dataset) is { } tier ? DaysFor(tier) : RawDays;

    /// <summary>Problems as "Key: expected ..., got ..." (empty when the policy is usable).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Range(int days, string key)
        {
            if (days is < 1 or > 36_525) problems.Add($"{key}: expected a number of days from 1 to 36525, got {days}");
        }
        Range(RawDays, "Retention:RawDays");
        Range(MinuteDays, "Retention:MinuteDays");
        Range(HourDays, "Retention:HourDays");
        // Long-range charts fall back to the 1-hour tier where 1-minute rollups are gone: dropping it first would leave a hole.
        if (problems.Count == 0 && HourDays < MinuteDays)
            problems.Add($"Retention:HourDays: expected at least Retention:MinuteDays ({MinuteDays}), got {HourDays}");
        return problems;
    }
}
