using System.Globalization;
using System.Text;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>Records on the cloud telemetry topic that the lake cannot hold go to the cloud dead-letter topic with the reason.</summary>
public sealed class SinkDeadLetterTests : IDisposable
{
    private readonly LakeTopic _topic = new(partitions: 1);
    private readonly string _dataDir = RepoPaths.NewTempDirectory("lake-dlq");

    private string Root => Path.Combine(_dataDir, "lake");

    [Fact]
    public async Task Undecodable_and_unstorable_records_are_dead_lettered_with_their_reason_and_the_good_ones_land_in_the_lake()
    {
        var start = UnixMicros.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 7, 0, 0, TimeSpan.Zero));
        var good = LakeTopic.KnownReadings(100, start);
        var farFuture = good[0] with { TimestampMicros = long.MaxValue / 2 };
        var noSite = good[1] with { Site = "" };
        var garbage = Encoding.UTF8.GetBytes("{\"not\":\"a reading\"}");
        var records = new List<(string, byte[])> { ("garbage", garbage) };
        records.AddRange(good.Take(50).Select(r => (r.Key, ReadingCodec.Encode(r))));
        records.Add((farFuture.Key, ReadingCodec.Encode(farFuture)));
        records.Add((noSite.Key, ReadingCodec.Encode(noSite)));
        records.AddRange(good.Skip(50).Select(r => (r.Key, ReadingCodec.Encode(r))));
        _topic.Produce(records);

        var (process, metrics) = CloudSink.Start(_topic.Cluster.BootstrapServers, _dataDir, maxRowsPerFile: 30);
        await using (process)
        {
            await metrics.WaitForAsync("iott_cloud_lake_rows_total", good.Count, TimeSpan.FromSeconds(60));
            await metrics.WaitForAsync("iott_cloud_lake_deadletters_total", 3);
            Assert.Equal(1, await metrics.GetAsync("iott_cloud_lake_deadletters_total", "reason=\"undecodable\""));
            Assert.Equal(1, await metrics.GetAsync("iott_cloud_lake_deadletters_total", "reason=\"timestamp_out_of_range\""));
            Assert.Equal(1, await metrics.GetAsync("iott_cloud_lake_deadletters_total", "reason=\"empty_identifier\""));
        }

        using (var dlq = new KafkaProbe(_topic.Cluster.BootstrapServers, LakeTopic.DeadLetter, 1))
        {
            await dlq.WaitForCountAsync(3);
            var letters = dlq.Records.ToDictionary(r => Header(r, "iott-reason"));
            Assert.Equal(garbage, letters["undecodable"].Message.Value);
            Assert.Equal("kafka:telemetry[0]@0", Header(letters["undecodable"], "iott-source"));
            Assert.Contains("version", Header(letters["undecodable"], "iott-detail"), StringComparison.Ordinal);
            Assert.Equal(ReadingCodec.Encode(farFuture), letters["timestamp_out_of_range"].Message.Value);
            Assert.Equal("kafka:telemetry[0]@51", Header(letters["timestamp_out_of_range"], "iott-source"));
            Assert.Equal("kafka:telemetry[0]@52", Header(letters["empty_identifier"], "iott-source"));
        }

        // The sink committed past the dead letters: a restart neither sends them again nor writes a row twice.
        var (again, againMetrics) = CloudSink.Start(_topic.Cluster.BootstrapServers, _dataDir, maxRowsPerFile: 30);
        await using (again)
        {
            await again.WaitForLineAsync("Now listening", TimeSpan.FromSeconds(60));
            _topic.Produce([(good[2].Key, garbage)]);
            await againMetrics.WaitForAsync("iott_cloud_lake_deadletters_total", 1, TimeSpan.FromSeconds(60));
            using var dlq = new KafkaProbe(_topic.Cluster.BootstrapServers, LakeTopic.DeadLetter, 1);
            await dlq.WaitForCountAsync(4);
            dlq.Poll(TimeSpan.FromMilliseconds(500));
            Assert.Equal(4, dlq.Records.Count);
            Assert.Equal("kafka:telemetry[0]@103", Header(dlq.Records[3], "iott-source"));
            Assert.Equal(0, await againMetrics.GetAsync("iott_cloud_lake_rows_total"));
        }
        var rows = await DuckDb.QueryAsync($"SELECT count(*) AS n, count(DISTINCT kafka_offset) AS d FROM read_parquet({DuckDb.Literal(LakeFiles.Glob(Root))})");
        Assert.Equal(good.Count.ToString(CultureInfo.InvariantCulture), rows[0]["n"].ToString());
        Assert.Equal(good.Count.ToString(CultureInfo.InvariantCulture), rows[0]["d"].ToString());
    }

    private static string Header(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> record, string name) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));

    public void Dispose()
    {
        _topic.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
