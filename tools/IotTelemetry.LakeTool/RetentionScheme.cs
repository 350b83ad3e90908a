using IotTelemetry.Lake;
using IotTelemetry.Lake.Rollups;

namespace IotTelemetry.LakeTool;

/// <summary>What retention needs to know about a dataset's layout: the end of the period a partition covers, and how to count a file's rows.</summary>
public sealed record RetentionScheme(string Period, Func<string, DateTimeOffset> PeriodEnd, Func<ILakeStore, string, long> RowCount)
{
    /// <summary>The raw readings: <c>site=/date=/hour=</c>, an hour per partition.</summary>
    public static readonly RetentionScheme Raw = new("hour", p => LakeLayout.HourStart(p).AddHours(1), LakeParquet.RowCount);

    /// <summary>A rollup tier: a day (<c>site=/date=</c>) or a month (<c>site=/month=</c>) per partition; rows are partial aggregates.</summary>
    public static RetentionScheme For(RollupTier tier)
    {
        ArgumentNullException.ThrowIfNull(tier);
        return new(tier.PeriodKey == "month" ? "month" : "day", p => tier.PeriodOf(p).End, RollupParquet.RowCount);
    }
}
