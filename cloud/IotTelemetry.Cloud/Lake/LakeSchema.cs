using IotTelemetry.Common.Readings;
using IotTelemetry.Parquet;

namespace IotTelemetry.Cloud.Lake;

/// <summary>
/// The columns of every lake file. <c>site</c>, <c>date</c> and <c>hour</c> are not columns: they are the
/// Hive partition directories (<c>site=.../date=YYYY-MM-DD/hour=HH/</c>) that readers add back.
/// </summary>
public static class LakeSchema
{
    public static readonly ParquetSchema Schema = new(
        new ParquetField("time", ParquetColumnType.Timestamp),
        new ParquetField("asset", ParquetColumnType.String),
        new ParquetField("sensor", ParquetColumnType.String),
        new ParquetField("value", ParquetColumnType.Double),
        new ParquetField("quality", ParquetColumnType.String),
        new ParquetField("unit", ParquetColumnType.String),
        new ParquetField("source", ParquetColumnType.String),
        new ParquetField("ingest_time", ParquetColumnType.Timestamp),
        new ParquetField("kafka_partition", ParquetColumnType.Int32),
        new ParquetField("kafka_offset", ParquetColumnType.Int64));

    private static readonly string[] QualityNames = ["good", "uncertain", "bad"];

    public static ParquetRowBuffer NewBuffer() => new(Schema, 1024);

    public static void Append(ParquetRowBuffer rows, Reading r, int partition, long offset)
    {
        rows.Column<TimestampColumn>(0).Add(r.TimestampMicros);
        rows.Column<StringColumn>(1).Add(r.Asset);
        rows.Column<StringColumn>(2).Add(r.Sensor);
        rows.Column<DoubleColumn>(3).Add(r.Value);
        rows.Column<StringColumn>(4).Add(QualityNames[(int)r.Quality]);
        rows.Column<StringColumn>(5).Add(r.Unit);
        rows.Column<StringColumn>(6).Add(r.Source);
        rows.Column<TimestampColumn>(7).Add(r.IngestTimeMicros);
        rows.Column<Int32Column>(8).Add(partition);
        rows.Column<Int64Column>(9).Add(offset);
    }
}
