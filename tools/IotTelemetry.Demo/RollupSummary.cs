using System.Globalization;
using IotTelemetry.Lake;
using IotTelemetry.Lake.Lineage;
using IotTelemetry.Lake.Rollups;

namespace IotTelemetry.Demo;

/// <summary>The demo's closing lines about the rollup datasets: files, partial rows, readings folded in, sensor-intervals once merged.</summary>
internal static class RollupSummary
{
    public static IEnumerable<string> Of(LakeDataset lake)
    {
        var files = RollupFiles.Beside(lake);
        foreach (var tier in RollupTier.All)
        {
            var paths = files.AllFiles(tier);
            var rows = paths.Select(files.Read).SelectMany(f => f.Rows.Select(r => (Site: f.Metadata.GetValueOrDefault(KafkaFooter.Site), Row: r))).ToList();
            var merged = rows.Select(r => (r.Site, r.Row.Key)).Distinct().Count();
            yield return string.Create(CultureInfo.InvariantCulture,
                $"Rollups {tier.Name}:    {files.Dataset(tier).Location}  ({paths.Count} files, {rows.Count:N0} partial rows, {rows.Sum(r => r.Row.Aggregate.Count):N0} readings, {merged:N0} sensor-intervals merged)");
        }
    }
}
