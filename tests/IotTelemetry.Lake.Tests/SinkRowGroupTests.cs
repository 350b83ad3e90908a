using System.Globalization;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;
using Xunit.Abstractions;

namespace IotTelemetry.Lake.Tests;

/// <summary>
/// <c>Lake:RowGroupTargetBytes</c> through the running sink: files bigger than the target are cut into several row groups
/// of about that size, as DuckDB reads the footer (<c>parquet_metadata</c>), and DuckDB still reads every row back.
/// </summary>
public sealed class SinkRowGroupTests(ITestOutputHelper output) : IDisposable
{
    private const int Count = 40_000;
    private const long Target = 64 * 1024; // the smallest Lake:RowGroupTargetBytes
    private readonly LakeTopic _topic = new(partitions: 1);
    private readonly string _dataDir = RepoPaths.NewTempDirectory("lake-rowgroups");

    private string Root => Path.Combine(_dataDir, "lake");

    [Fact]
    public async Task Sink_cuts_files_into_row_groups_of_about_Lake_RowGroupTargetBytes_and_DuckDB_reads_every_row()
    {
        var start = UnixMicros.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 7, 0, 0, TimeSpan.Zero));
        var readings = LakeTopic.KnownReadings(Count, start); // two sites, three hours: six files of about 6,700 rows
        _topic.Produce(readings);

        var (process, metrics) = CloudSink.Start(_topic.Cluster.BootstrapServers, _dataDir, maxRowsPerFile: 1_000_000, new Dictionary<string, string>
        {
            ["Lake:RowGroupTargetBytes"] = Target.ToString(CultureInfo.InvariantCulture),
            ["Lake:MaxEventSpan"] = "04:00:00",
        });
        await using (process)
            await metrics.WaitForAsync("iott_cloud_lake_rows_total", Count, TimeSpan.FromSeconds(60));

        var glob = DuckDb.Literal(LakeFiles.Glob(Root));
        var r = await DuckDb.QueryManyAsync(
        [
            $"SELECT file_name AS f, row_group_id AS g, any_value(row_group_num_rows) AS n, any_value(row_group_bytes) AS b " +
            $"FROM parquet_metadata({glob}) GROUP BY f, g ORDER BY f, g",
            $"SELECT count(*) AS n, count(DISTINCT kafka_offset) AS d, sum(value) AS s FROM read_parquet({glob})",
        ]);
        var files = r[0].GroupBy(g => g["f"].GetString()!).ToList();
        foreach (var file in files)
            output.WriteLine($"{Path.GetFileName(file.Key)}: {string.Join(", ", file.Select(g => $"{g["n"].GetInt64()} rows/{g["b"].GetInt64()} B"))}");

        Assert.True(files.Count >= 6, $"{files.Count} files");
        Assert.All(files, file =>
        {
            var groups = file.ToList();
            Assert.True(groups.Count >= 3, $"{Path.GetFileName(file.Key)} has {groups.Count} row group(s), expected several of about {Target} bytes");
            // Every group but the last is cut at the target: within a quarter of it, as Parquet counts its uncompressed bytes.
            Assert.All(groups.SkipLast(1), g => Assert.InRange(g["b"].GetInt64(), Target * 3 / 4, Target * 5 / 4));
            Assert.InRange(groups[^1]["b"].GetInt64(), 1, Target * 5 / 4);
        });
        Assert.Equal(Count, r[0].Sum(g => g["n"].GetInt64()));
        Assert.Equal((Count, (long)Count), (r[1][0]["n"].GetInt64(), r[1][0]["d"].GetInt64()));
        Assert.Equal(readings.Sum(x => x.Value), r[1][0]["s"].GetDouble(), 6);
    }

    public void Dispose()
    {
        _topic.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
