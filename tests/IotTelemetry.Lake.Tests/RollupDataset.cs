using System.Globalization;
using IotTelemetry.Lake.Rollups;

namespace IotTelemetry.Lake.Tests;

/// <summary>What a reader of a rollup dataset sees: its Parquet files under their final names.</summary>
public static class RollupDataset
{
    public static List<string> Visible(string rollupRoot, RollupTier tier) => LakeFiles.Visible(Path.Combine(rollupRoot, tier.Dataset));

    /// <summary>Readings folded into the visible files (the sum of their partials' counts), opening each one completely.</summary>
    public static long Readings(string rollupRoot, RollupTier tier) =>
        Visible(rollupRoot, tier).Sum(f => RollupParquet.Read(f).Rows.Sum(r => r.Aggregate.Count));

    /// <summary>
    /// Asserts that no Kafka offset is covered by two visible files of a tier in one partition directory: a replay after
    /// a crash must rewrite the same range under the same name, never fold the same readings into another file.
    /// </summary>
    public static void AssertNoOverlappingOffsets(string rollupRoot, RollupTier tier)
    {
        foreach (var group in Visible(rollupRoot, tier)
                     .Select(f => (Dir: Path.GetDirectoryName(f)!, Meta: RollupParquet.Read(f).Metadata))
                     .GroupBy(f => (f.Dir, f.Meta["iott.kafka.partition"])))
        {
            var ranges = group.Select(f => (First: long.Parse(f.Meta["iott.kafka.first_offset"], CultureInfo.InvariantCulture),
                Last: long.Parse(f.Meta["iott.kafka.last_offset"], CultureInfo.InvariantCulture))).OrderBy(r => r.First).ToList();
            for (var i = 1; i < ranges.Count; i++)
                Assert.True(ranges[i].First > ranges[i - 1].Last,
                    $"{group.Key.Dir}, Kafka partition {group.Key.Item2}: offsets {ranges[i - 1]} and {ranges[i]} overlap");
        }
    }
}
