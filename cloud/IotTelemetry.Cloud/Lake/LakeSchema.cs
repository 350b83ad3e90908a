using IotTelemetry.Common.Readings;
using IotTelemetry.Lake;

namespace IotTelemetry.Cloud.Lake;

/// <summary>
/// A reading as a row of the lake (<see cref="LakeParquet"/> holds the columns and their Parquet types).
/// <c>site</c>, <c>date</c> and <c>hour</c> are not columns: they are the Hive partition directories
/// (<c>site=.../date=YYYY-MM-DD/hour=HH/</c>) that readers add back.
/// </summary>
public static class LakeSchema
{
    private static readonly string[] QualityNames = ["good", "uncertain", "bad"];

    public static LakeRows NewBuffer() => new(1024);

    public static void Append(LakeRows rows, Reading r, int partition, long offset) =>
        rows.Add(r.TimestampMicros, r.Asset, r.Sensor, r.Value, QualityNames[(int)r.Quality], r.Unit, r.Source, r.IngestTimeMicros, partition, offset);
}
