using IotTelemetry.Cloud.Dashboard;
using IotTelemetry.Lake.Rollups;

namespace IotTelemetry.Cloud.Tests;

/// <summary>Which store a chart range is read from, and in what intervals.</summary>
public sealed class ChartRangeTests
{
    private const long Now = 1_780_000_000_000_000; // 2026-05-28
    private const long Day = 86_400_000_000;

    private static ChartRange? Parse(string? range, string? from = null, string? to = null, int minuteDays = 730) =>
        ChartRange.Parse(range, from, to, Now, maxPoints: 720, minuteDays, out _);

    [Fact]
    public void Short_ranges_read_memory_days_the_minute_tier_and_longer_ones_the_hour_tier_merged_to_fit_the_points()
    {
        Assert.Null(Parse(null)!.Tier);
        Assert.Null(Parse("45m")!.Tier);
        Assert.Equal((RollupTier.Minute, 60_000_000L), (Parse("6h")!.Tier, Parse("6h")!.IntervalMicros));          // 360 minutes fit
        Assert.Equal((RollupTier.Minute, 240_000_000L), (Parse("2d")!.Tier, Parse("2d")!.IntervalMicros));         // 2880 minutes: 4 per point
        Assert.Equal((RollupTier.Hour, 3_600_000_000L), (Parse("7d")!.Tier, Parse("7d")!.IntervalMicros));
        Assert.Equal((RollupTier.Hour, 61 * 3_600_000_000L), (Parse("5y")!.Tier, Parse("5y")!.IntervalMicros));  // 43800 hours: 61 per point
        Assert.Equal(Now - 7 * Day, Parse("7d")!.FromMicros);
    }

    [Fact]
    public void A_short_range_older_than_the_minute_tier_keeps_is_read_from_the_hour_tier()
    {
        var from = (Now - 800 * Day) / 1000;
        Assert.Equal(RollupTier.Hour, Parse(null, from.ToString(), (from + 86_400_000).ToString())!.Tier);
        Assert.Equal(RollupTier.Minute, Parse(null, from.ToString(), (from + 86_400_000).ToString(), minuteDays: 1000)!.Tier);
    }

    [Theory]
    [InlineData("soon", null, null)]
    [InlineData("7w", null, null)]
    [InlineData("0d", null, null)]
    [InlineData("999999y", null, null)]
    [InlineData(null, "10", "5")]
    [InlineData(null, "abc", "5")]
    [InlineData(null, "10", null)]
    public void Anything_else_is_refused_saying_what_was_expected(string? range, string? from, string? to)
    {
        Assert.Null(ChartRange.Parse(range, from, to, Now, 720, 730, out var error));
        Assert.StartsWith("expected ", error, StringComparison.Ordinal);
    }
}
