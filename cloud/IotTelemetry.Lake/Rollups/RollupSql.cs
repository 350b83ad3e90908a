namespace IotTelemetry.Lake.Rollups;

/// <summary>
/// The SQL (DuckDB dialect) that merges a rollup dataset's partial rows into one row per sensor and interval:
/// the view <c>iott-lake query --rollups</c> defines and the README shows. The standard deviation merges the partials'
/// M2 with Chan's formula: Σ m2ᵢ + Σ nᵢ (meanᵢ − mean)², over n − 1.
/// </summary>
public static class RollupSql
{
    /// <summary>A SELECT over the Parquet files matched by <paramref name="glob"/> (a SQL string literal's content, unquoted).</summary>
    public static string Merged(string glob)
    {
        ArgumentNullException.ThrowIfNull(glob);
        var files = "'" + glob.Replace("'", "''", StringComparison.Ordinal) + "'";
        return $"""
            WITH p AS (
              SELECT *, sum("sum") OVER k / sum("count") OVER k AS merged_mean
              FROM read_parquet({files}, hive_partitioning = true, hive_types_autocast = false)
              WINDOW k AS (PARTITION BY site, asset, sensor, unit, "time"))
            SELECT site, asset, sensor, unit, "time",
              sum("count")::BIGINT AS "count",
              min("min") AS "min",
              max("max") AS "max",
              sum("sum") / sum("count") AS mean,
              sqrt(greatest(0, sum(m2) + sum("count" * ("sum" / "count" - merged_mean) ^ 2)) / nullif(sum("count") - 1, 0)) AS stddev,
              arg_max(last_value, (last_time, last_kafka_partition, last_kafka_offset)) AS "last",
              max(last_time) AS last_time,
              sum(good_count) / sum("count") AS good_share,
              count(*) AS partials
            FROM p
            GROUP BY site, asset, sensor, unit, "time"
            """;
    }
}
