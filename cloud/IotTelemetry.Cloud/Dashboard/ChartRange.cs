using System.Globalization;
using IotTelemetry.Lake.Rollups;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>
/// The time range an asset chart asks for (<c>?range=7d</c>, or <c>?from=&amp;to=</c> in unix milliseconds) and where
/// it is read from: ranges up to <see cref="MemoryLimit"/> from the recent values in memory, up to
/// <see cref="MinuteLimit"/> from the 1-minute rollups, longer ones from the 1-hour rollups, merged to intervals of
/// the tier's size or coarser so that a sensor has at most about <c>maxPoints</c> points. A range older than the
/// 1-minute tier's retention reads the 1-hour tier whatever its length.
/// </summary>
public sealed record ChartRange(long FromMicros, long ToMicros, RollupTier? Tier, long IntervalMicros)
{
    public static readonly TimeSpan MemoryLimit = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinuteLimit = TimeSpan.FromDays(3);

    /// <summary>Parses the query; returns null with <paramref name="error"/> saying what was expected when it is not a range.</summary>
    public static ChartRange? Parse(string? range, string? from, string? to, long nowMicros, int maxPoints, int minuteRetentionDays, out string? error)
    {
        error = null;
        long fromMicros, toMicros;
        if (!string.IsNullOrEmpty(range))
        {
            if (Duration(range) is not { } span)
            {
                error = $"expected range as a number and a unit (m, h, d or y), e.g. 7d, got '{range}'";
                return null;
            }
            toMicros = nowMicros;
            fromMicros = nowMicros - span;
        }
        else if (!string.IsNullOrEmpty(from) || !string.IsNullOrEmpty(to))
        {
            if (!long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var f) || !long.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
                || f >= t || t > 253_402_300_799_999)
            {
                error = $"expected from and to as unix milliseconds with from < to, got from='{from}' to='{to}'";
                return null;
            }
            fromMicros = f * 1000;
            toMicros = t * 1000;
        }
        else return new ChartRange(nowMicros - (long)MemoryLimit.TotalMicroseconds, nowMicros, null, 0); // recent values

        var length = toMicros - fromMicros;
        RollupTier? tier = length <= (long)MemoryLimit.TotalMicroseconds ? null
            : length <= (long)MinuteLimit.TotalMicroseconds && fromMicros >= nowMicros - minuteRetentionDays * 86_400_000_000L ? RollupTier.Minute
            : RollupTier.Hour;
        if (tier is null) return new ChartRange(fromMicros, toMicros, null, 0);
        var intervals = Math.Max(1, (length / tier.BucketMicros + maxPoints - 1) / maxPoints); // tier intervals per point, rounded up
        return new ChartRange(fromMicros, toMicros, tier, intervals * tier.BucketMicros);
    }

    /// <summary><c>90m</c>, <c>6h</c>, <c>7d</c>, <c>5y</c> (365 days) in microseconds; null when not one of those (or above 100 years).</summary>
    private static long? Duration(string text)
    {
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0) return null;
        long? unit = text[^1] switch { 'm' => 60_000_000L, 'h' => 3_600_000_000L, 'd' => 86_400_000_000L, 'y' => 365 * 86_400_000_000L, _ => null };
        return unit is { } u && n <= 36_500L * 86_400_000_000L / u ? n * u : null;
    }
}
