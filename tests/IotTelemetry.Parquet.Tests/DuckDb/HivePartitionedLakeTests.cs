using System.Globalization;
using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Parquet.Tests.DuckDb;

public sealed class HivePartitionedLakeTests : IDisposable
{
    private readonly string _lake = RepoPaths.NewTempDirectory("parquet-lake");

    public void Dispose() => Directory.Delete(_lake, recursive: true);

    [Fact]
    public async Task DuckDb_reads_a_site_date_hour_layout_and_prunes_by_partition_columns()
    {
        var schema = new ParquetSchema(
            new ParquetField("time", ParquetColumnType.Timestamp),
            new ParquetField("asset", ParquetColumnType.String),
            new ParquetField("value", ParquetColumnType.Double));
        string[] sites = ["plant-a", "plant-b"];
        string[] dates = ["2026-01-01", "2026-01-02"];
        int[] hours = [0, 13];
        var expectedSum = 0.0;
        var files = 0;
        foreach (var site in sites)
            foreach (var date in dates)
                foreach (var hour in hours)
                {
                    var dir = Path.Combine(_lake, $"site={site}", $"date={date}", $"hour={hour:D2}");
                    Directory.CreateDirectory(dir);
                    var start = DateTimeOffset.Parse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).AddHours(hour);
                    using var writer = new ParquetWriter(File.Create(Path.Combine(dir, $"part-{files++:D5}.parquet")), schema,
                        new ParquetWriterOptions { Compression = ParquetCompression.Snappy });
                    var rows = new ParquetRowBuffer(schema);
                    for (var i = 0; i < 100; i++)
                    {
                        var value = i + hour * 1000 + (site == "plant-b" ? 0.5 : 0);
                        rows.Column<TimestampColumn>(0).Add(start.AddSeconds(i));
                        rows.Column<StringColumn>(1).Add("pump-" + (i % 4));
                        rows.Column<DoubleColumn>(2).Add(value);
                        if (site == "plant-b" && date == "2026-01-02" && hour == 13) expectedSum += value;
                    }
                    writer.WriteRowGroup(rows);
                    writer.Complete();
                }

        var glob = TestKit.DuckDb.Literal(Path.Combine(_lake, "**", "*.parquet"));
        var results = await TestKit.DuckDb.QueryManyAsync(
        [
            $"SELECT count(*) AS n, count(DISTINCT site) AS sites, count(DISTINCT date) AS dates FROM read_parquet({glob}, hive_partitioning = true)",
            $"""
            SELECT site, CAST(date AS VARCHAR) AS date, hour, count(*) AS n, sum(value) AS total,
                   min(epoch_us(time)) AS first, count(DISTINCT asset) AS assets
            FROM read_parquet({glob}, hive_partitioning = true)
            WHERE site = 'plant-b' AND date = '2026-01-02' AND hour = 13
            GROUP BY ALL
            """,
        ]);

        Assert.Equal("800", results[0][0]["n"].GetString());
        Assert.Equal("2", results[0][0]["sites"].GetString());
        Assert.Equal("2", results[0][0]["dates"].GetString());
        var row = Assert.Single(results[1]);
        Assert.Equal("plant-b", row["site"].GetString());
        Assert.Equal("2026-01-02", row["date"].GetString());
        Assert.Equal("100", row["n"].GetString());
        Assert.Equal(expectedSum, row["total"].GetDouble());
        Assert.Equal("4", row["assets"].GetString());
        var first = TimestampColumn.ToMicros(new DateTimeOffset(2026, 1, 2, 13, 0, 0, TimeSpan.Zero));
        Assert.Equal(first.ToString(CultureInfo.InvariantCulture), row["first"].GetString());
    }
}
