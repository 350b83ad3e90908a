using System.Globalization;

namespace IotTelemetry.Anomaly.Internal;

/// <summary>The reason texts of raised and updated alerts, one builder per rule (created once per sensor).</summary>
internal static class AlertMessages
{
    private static string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    public static Describe Limits(string sensor) => (value, _, threshold) =>
        value >= threshold ? $"{sensor} {F(value)} above the high limit {F(threshold)}" : $"{sensor} {F(value)} below the low limit {F(threshold)}";

    public static Describe ZScore(string sensor) => (value, z, sigma) =>
        $"{sensor} {F(value)} is {F(z)} standard deviations from its recent mean (limit ±{F(sigma)})";

    public static Describe Rate(string sensor) => (value, rate, max) =>
        $"{sensor} changing at {F(rate)}/s, faster than {F(max)}/s (now {F(value)})";

    public static Describe Stuck(string sensor) => (value, run, count) =>
        $"{sensor} flat at {F(value)} for {F(run)} readings (limit {F(count)})";

    public static Describe Gap(string sensor) => (_, missed, intervals) =>
        $"no {sensor} reading for {F(missed)} expected intervals (limit {F(intervals)})";

    public static Describe Learned(string sensor) => (value, score, threshold) =>
        $"{sensor} {F(value)} unusual for its learned behaviour: score {F(score)} >= {F(threshold)}";

    public static Describe Multivariate(Func<string[]> top) => (_, score, threshold) =>
        $"sensors no longer move together as learned: score {F(score)} >= {F(threshold)}, most off: {string.Join(", ", top())}";

    public static Describe Correlation(string reason, IReadOnlyList<string> sensors, TimeSpan window) => (_, _, _) =>
        $"{reason}: {string.Join(" and ", sensors)} abnormal within {window}";
}
