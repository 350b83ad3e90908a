using Apache.Arrow;
using Apache.Arrow.Types;
using IotTelemetry.Lake.Catalog;
using IotTelemetry.Lake.Rollups;

namespace IotTelemetry.Cloud.Flight;

/// <summary>
/// Reads a rollup tier for a <see cref="FlightQuery"/> as Arrow record batches of merged rows: one per site, sensor and
/// interval (a file row is a mergeable partial, and several partials of one interval are usual). The columns are those of
/// the DuckDB view <c>rollup_1m</c>/<c>rollup_1h</c> of <c>iott-lake query</c> (<see cref="RollupSql"/>), so a data scientist
/// gets the same numbers either way. The time range selects on the interval's start.
/// </summary>
public sealed class RollupArrowReader(RollupFiles files, int maxRowsPerBatch)
{
    private static readonly TimestampType Micros = new(Apache.Arrow.Types.TimeUnit.Microsecond, "UTC");

    /// <summary>site, asset, sensor, unit, time, count, min, max, mean, stddev (null for one reading), last, last_time, good_share.</summary>
    public static readonly Schema Schema = new Schema.Builder()
        .Field(new Field("site", StringType.Default, nullable: false))
        .Field(new Field("asset", StringType.Default, nullable: false))
        .Field(new Field("sensor", StringType.Default, nullable: false))
        .Field(new Field("unit", StringType.Default, nullable: false))
        .Field(new Field("time", Micros, nullable: false))
        .Field(new Field("count", Int64Type.Default, nullable: false))
        .Field(new Field("min", DoubleType.Default, nullable: false))
        .Field(new Field("max", DoubleType.Default, nullable: false))
        .Field(new Field("mean", DoubleType.Default, nullable: false))
        .Field(new Field("stddev", DoubleType.Default, nullable: true))
        .Field(new Field("last", DoubleType.Default, nullable: false))
        .Field(new Field("last_time", Micros, nullable: false))
        .Field(new Field("good_share", DoubleType.Default, nullable: false))
        .Build();

    public IEnumerable<RecordBatch> Read(RollupTier tier, FlightQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentNullException.ThrowIfNull(query);
        var merged = new RollupReader(files).ReadMerged(tier, query.FromMicros ?? long.MinValue, query.ToMicros ?? long.MaxValue,
            p => query.Sites is null || PartitionValues.Of(p).Value("site") is not { } site || query.Sites.Contains(site),
            r => query.InRange(r.TimeMicros) && (query.Assets is null || query.Assets.Contains(r.Asset)) && (query.Sensors is null || query.Sensors.Contains(r.Sensor)));
        foreach (var (partition, rows) in merged)
        {
            ct.ThrowIfCancellationRequested();
            var site = PartitionValues.Of(partition).Value("site") ?? "";
            for (var start = 0; start < rows.Count; start += maxRowsPerBatch)
                yield return Batch(site, rows.GetRange(start, Math.Min(maxRowsPerBatch, rows.Count - start)));
        }
    }

    private static RecordBatch Batch(string site, List<RollupRow> rows)
    {
        var sites = new StringArray.Builder();
        var assets = new StringArray.Builder();
        var sensors = new StringArray.Builder();
        var units = new StringArray.Builder();
        var times = new TimestampArray.Builder(Micros);
        var counts = new Int64Array.Builder();
        var mins = new DoubleArray.Builder();
        var maxes = new DoubleArray.Builder();
        var means = new DoubleArray.Builder();
        var stddevs = new DoubleArray.Builder();
        var lasts = new DoubleArray.Builder();
        var lastTimes = new TimestampArray.Builder(Micros);
        var goodShares = new DoubleArray.Builder();
        foreach (var r in rows)
        {
            var a = r.Aggregate;
            sites.Append(site);
            assets.Append(r.Asset);
            sensors.Append(r.Sensor);
            units.Append(r.Unit);
            times.Append(LakeArrowReader.FromMicros(r.TimeMicros));
            counts.Append(a.Count);
            mins.Append(a.Min);
            maxes.Append(a.Max);
            means.Append(a.Mean);
            if (a.StdDev is { } s) stddevs.Append(s); else stddevs.AppendNull();
            lasts.Append(a.LastValue);
            lastTimes.Append(LakeArrowReader.FromMicros(a.LastTimeMicros));
            goodShares.Append(a.GoodShare);
        }
        return new RecordBatch(Schema,
        [
            sites.Build(), assets.Build(), sensors.Build(), units.Build(), times.Build(), counts.Build(), mins.Build(), maxes.Build(),
            means.Build(), stddevs.Build(), lasts.Build(), lastTimes.Build(), goodShares.Build(),
        ], rows.Count);
    }
}
