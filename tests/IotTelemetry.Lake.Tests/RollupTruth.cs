using System.Globalization;
using System.Text.Json;
using IotTelemetry.Lake.Rollups;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>
/// Checks a rollup dataset against the aggregates DuckDB computes itself from the raw lake: count, min, max, last
/// and the share of good quality must match exactly; mean and standard deviation to a relative 1e-9 (the partials add
/// the values in another order than DuckDB and merge M2 with Chan's formula; both differ from DuckDB's only in rounding).
/// </summary>
public static class RollupTruth
{
    public const double RelativeTolerance = 1e-9;

    /// <summary>DuckDB's own aggregates per site, sensor and interval over the raw lake under <paramref name="lakeRoot"/>.</summary>
    public static string FromRaw(string lakeRoot, RollupTier tier) => $"""
        SELECT site, asset, sensor, unit, date_trunc('{(tier == RollupTier.Minute ? "minute" : "hour")}', "time") AS "time",
          count(*) AS "count", min(value) AS "min", max(value) AS "max", avg(value) AS mean, stddev_samp(value) AS stddev,
          first(value ORDER BY "time" DESC, kafka_partition DESC, kafka_offset DESC) AS "last",
          count(*) FILTER (WHERE quality = 'good')::DOUBLE / count(*) AS good_share
        FROM read_parquet({DuckDb.Literal(LakeFiles.Glob(lakeRoot))}, hive_partitioning = true, hive_types_autocast = false)
        WHERE isfinite(value)
        GROUP BY ALL
        """;

    /// <summary>The merged rollups under <paramref name="rollupRoot"/> as DuckDB computes them with <see cref="RollupSql.Merged"/>.</summary>
    public static string Merged(string rollupRoot, RollupTier tier) =>
        RollupSql.Merged(Path.Combine(rollupRoot, tier.Dataset, "**", "*.parquet"));

    /// <summary>Asserts that DuckDB's merge of the rollup files equals DuckDB's aggregates of the raw lake, row for row; returns the rows compared.</summary>
    public static async Task<int> AssertMatchesRawAsync(string lakeRoot, string rollupRoot, RollupTier tier)
    {
        var results = await DuckDb.QueryManyAsync([FromRaw(lakeRoot, tier), Merged(rollupRoot, tier)]);
        var truth = results[0].ToDictionary(Key);
        var merged = results[1].ToDictionary(Key);
        Assert.Equal(truth.Keys.Order(StringComparer.Ordinal), merged.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, t) in truth)
        {
            var m = merged[key];
            Assert.True(t["count"].ToString() == m["count"].ToString(), $"{tier} {key}: count {m["count"]}, DuckDB over raw {t["count"]}");
            foreach (var exact in new[] { "min", "max", "last", "good_share" })
                Assert.True(t[exact].GetDouble() == m[exact].GetDouble(), $"{tier} {key}: {exact} {m[exact]}, DuckDB over raw {t[exact]}");
            AssertClose(t["mean"].GetDouble(), m["mean"].GetDouble(), $"{tier} {key}: mean");
            if (t["stddev"].ValueKind == JsonValueKind.Null) Assert.Equal(JsonValueKind.Null, m["stddev"].ValueKind);
            else AssertClose(t["stddev"].GetDouble(), m["stddev"].GetDouble(), $"{tier} {key}: stddev");
        }
        return truth.Count;
    }

    /// <summary>Asserts that rows merged in C# (the dashboard's reader) equal DuckDB's aggregates over raw for one asset.</summary>
    public static async Task AssertReaderMatchesRawAsync(string lakeRoot, IReadOnlyList<RollupRow> rows, RollupTier tier, string site, string asset)
    {
        var truth = (await DuckDb.QueryAsync(FromRaw(lakeRoot, tier))).Where(r => r["site"].GetString() == site && r["asset"].GetString() == asset).ToDictionary(Key);
        Assert.Equal(truth.Count, rows.Count);
        foreach (var row in rows)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{site}|{row.Asset}|{row.Sensor}|{row.Unit}|{Micros(row.TimeMicros)}");
            Assert.True(truth.TryGetValue(key, out var t), $"{key} not in DuckDB's aggregates over raw");
            var a = row.Aggregate;
            Assert.Equal(t["count"].ToString(), a.Count.ToString(CultureInfo.InvariantCulture));
            Assert.Equal((t["min"].GetDouble(), t["max"].GetDouble(), t["last"].GetDouble(), t["good_share"].GetDouble()), (a.Min, a.Max, a.LastValue, a.GoodShare));
            AssertClose(t["mean"].GetDouble(), a.Mean, key + ": mean");
            if (t["stddev"].ValueKind == JsonValueKind.Null) Assert.Null(a.StdDev);
            else AssertClose(t["stddev"].GetDouble(), a.StdDev!.Value, key + ": stddev");
        }
    }

    private static string Key(Dictionary<string, JsonElement> r) =>
        $"{r["site"].GetString()}|{r["asset"].GetString()}|{r["sensor"].GetString()}|{r["unit"].GetString()}|{r["time"].GetString()}";

    private static string Micros(long micros) =>
        DateTime.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= RelativeTolerance * Math.Max(1, Math.Abs(expected)),
            string.Create(CultureInfo.InvariantCulture, $"{what} {actual:R}, DuckDB over raw {expected:R} (relative tolerance {RelativeTolerance})"));
}
