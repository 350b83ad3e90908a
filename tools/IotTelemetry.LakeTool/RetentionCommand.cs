using System.Globalization;
using IotTelemetry.Lake;
using IotTelemetry.Lake.Rollups;
using Microsoft.Extensions.Configuration;

namespace IotTelemetry.LakeTool;

/// <summary>
/// <c>iott-lake retention</c>: applies each dataset's retention, the raw readings under <c>--root</c> and the rollup
/// tiers beside them (<c>rollup-1m</c>, <c>rollup-1h</c>, where they exist). Days per dataset come from the flag
/// (<c>--keep-days</c>, <c>--keep-1m-days</c>, <c>--keep-1h-days</c>), else from the <c>Retention</c> section of
/// <c>--config</c> (the cloud host's appsettings.json), else the defaults: 365, 730, 1825.
/// </summary>
public static class RetentionCommand
{
    public static int Run(TextWriter output, string root, RetentionFlags flags, DateTimeOffset now) =>
        Run(output, LakeDataset.Local(root), flags, now);

    /// <summary>The same for the raw dataset <paramref name="raw"/> in any store, the rollup tiers beside it in the same store.</summary>
    public static int Run(TextWriter output, LakeDataset raw, RetentionFlags flags, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(flags);
        var policy = Policy(flags);
        var targets = new List<(string Name, LakeRetention Retention, int Days)> { ("raw", new LakeRetention(raw), policy.RawDays) };
        var rollups = RollupFiles.Beside(raw);
        foreach (var tier in RollupTier.All)
        {
            var dataset = rollups.Dataset(tier);
            if (dataset.Store.List(dataset.Path).Any()) targets.Add((tier.Dataset, new LakeRetention(dataset, RetentionScheme.For(tier)), policy.DaysFor(tier)));
        }
        var total = 0;
        foreach (var (name, retention, days) in targets)
        {
            var dropped = retention.Apply(days, now);
            foreach (var t in dropped) output.WriteLine($"{name} {t.Partition}: dropped {t.Files.Count} files, {t.Rows} rows; tombstone left");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} ({retention.Dataset.Location}): keep {days} days, {dropped.Count} partition(s) dropped"));
            total += dropped.Count;
        }
        output.WriteLine($"{total} partition(s) dropped");
        return 0;
    }

    /// <summary>The days per dataset: flags over <c>--config</c>'s <c>Retention</c> section over the defaults; invalid values fail naming the key.</summary>
    public static RetentionPolicy Policy(RetentionFlags flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var policy = new RetentionPolicy();
        if (flags.Config is { } file)
        {
            var full = Path.GetFullPath(file);
            if (!File.Exists(full)) throw new ArgumentException($"Expected --config to be the cloud host's appsettings.json, '{full}' does not exist");
            try
            {
                new ConfigurationBuilder().AddJsonFile(full, optional: false).Build().GetSection("Retention").Bind(policy);
            }
            catch (InvalidOperationException ex)
            {
                throw new ArgumentException($"Expected whole numbers of days in the Retention section of {full}: {ex.Message}", ex);
            }
        }
        policy.RawDays = flags.KeepDays ?? policy.RawDays;
        policy.MinuteDays = flags.KeepMinuteDays ?? policy.MinuteDays;
        policy.HourDays = flags.KeepHourDays ?? policy.HourDays;
        var problems = policy.Problems();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems) + " (from --keep-days, --keep-1m-days, --keep-1h-days or --config)");
        return policy;
    }
}
