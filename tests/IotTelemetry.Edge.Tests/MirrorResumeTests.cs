using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Mirror;
using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests;

/// <summary>
/// Where a restarted mirror resumes when the end of its cloud partition does not show a copy of its own. "Cannot tell"
/// must never be taken as "nothing copied yet": that would copy the whole edge partition again.
/// </summary>
public sealed class MirrorResumeTests : IDisposable
{
    private readonly MockCluster _edge = new();
    private readonly MockCluster _cloud = new();

    public MirrorResumeTests()
    {
        _edge.CreateTopic("telemetry", 1);
        _edge.CreateTopic("telemetry.deadletter", 1);
        _cloud.CreateTopic("telemetry", 1);
    }

    private ExternalProcess StartMirror(int scanLimit)
    {
        var settings = Programs.EdgeSettings(_edge.BootstrapServers, _cloud.BootstrapServers);
        settings["Mirror:ResumeScanLimit"] = scanLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Mirror:CommitInterval"] = "01:00:00"; // killed before its first commit: the edge group has no offset to fall back on
        return Programs.Start(Programs.EdgeDll, settings);
    }

    [Fact]
    public async Task A_cloud_tail_holding_only_another_plants_copies_is_not_taken_as_nothing_copied_and_nothing_is_copied_twice()
    {
        using var producer = new ReadingProducer(_edge.BootstrapServers);
        void Write(int from, int count) =>
            producer.Produce(Enumerable.Range(from, count).Select(n => new Reading("plant-t", "pump-01", "vibration", 1_795_000_000_000_000 + n, n, Quality.Good, "mm/s", "test", 0)));
        using var cloud = new KafkaProbe(_cloud.BootstrapServers, "telemetry", 1);

        await using (var first = StartMirror(scanLimit: 200))
        {
            Write(0, 500);
            await cloud.WaitForCountAsync(500, TimeSpan.FromSeconds(60));
            first.Kill();
        }
        WriteOtherPlantsCopies(1_000); // the end of the shared cloud partition now holds only plant-u's copies

        await using (var second = StartMirror(scanLimit: 200)) // looks at 200 records from the end: none of them ours
        {
            Write(500, 100);
            await Wait.UntilAsync(() => { cloud.Poll(); return Refusals(second) >= 2 || cloud.Records.Count > 1_500; },
                "the mirror copying again, or refusing to guess and trying again (with backoff)", TimeSpan.FromSeconds(90));
            cloud.Poll(TimeSpan.FromSeconds(1));
            Assert.Equal(Enumerable.Range(0, 500).Select(n => (long)n), OwnCopies(cloud)); // not 0..499 then 0..599 again
            Assert.True(Refusals(second) >= 2, "the mirror said it cannot tell where to resume, and tried again");
            second.Kill();
        }

        await using (var third = StartMirror(scanLimit: 10_000)) // far enough back to find its last copy
        {
            await cloud.WaitForCountAsync(1_600, TimeSpan.FromSeconds(60));
            await third.WaitForLineAsync("Mirror telemetry[0] resumes at offset 500: the last copy found in the cloud", TimeSpan.FromSeconds(30));
            cloud.Poll(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(Enumerable.Range(0, 600).Select(n => (long)n), OwnCopies(cloud)); // every edge record once, in order
        Assert.Equal(1_600, cloud.Records.Count);
    }

    [Fact]
    public void The_resume_point_is_read_only_from_what_the_cloud_partition_proves()
    {
        _cloud.CreateTopic("shared", 3);
        WriteCopies("shared", 0, "plant-t", 300);
        WriteCopies("shared", 0, "plant-u", 5_000); // beyond the first windows: found by reading further back
        WriteCopies("shared", 1, "plant-u", 200);   // read whole from offset 0: plant-t never copied into it
        using var cluster = KafkaCluster.Connect("Cloud", _cloud.BootstrapServers);
        var link = MirrorHeaders.LinkId("plant-t", "telemetry");
        ResumeSearch Find(int partition, int limit = 100_000, int silenceSeconds = 30) =>
            ResumePoint.Find(cluster, "shared", partition, link, limit, TimeSpan.FromSeconds(silenceSeconds), CancellationToken.None);

        _cloud.SetAllDown(); // the cloud cluster not answering is "cannot tell yet", never "nothing copied"
        Assert.ThrowsAny<Exception>(() => Find(0, silenceSeconds: 3));
        Assert.ThrowsAny<Exception>(() => Find(2, silenceSeconds: 3));
        _cloud.SetAllUp();

        Assert.Equal(new ResumeSearch(ResumeFinding.LastCopy, 299, 0, 5_300, 5_300), Find(0)); // windows of 64, 256, 1,024, then the rest
        Assert.Equal(ResumeFinding.ScanLimitReached, Find(0, limit: 1_000).Finding);
        Assert.Equal(ResumeFinding.NeverCopied, Find(1).Finding);
        Assert.Equal(new ResumeSearch(ResumeFinding.NeverCopied, -1, 0, 0, 0), Find(2)); // empty, nothing ever deleted
    }

    private static int Refusals(ExternalProcess mirror) => mirror.Lines.Count(l => l.Contains("Mirror[1105]", StringComparison.Ordinal)
        && l.Contains("cannot tell where to resume", StringComparison.Ordinal));

    private static List<long> OwnCopies(KafkaProbe cloud)
    {
        var link = MirrorHeaders.LinkId("plant-t", "telemetry");
        return [.. cloud.Records.Select(c => MirrorHeaders.TryRead(c.Message.Headers, link, out var o) ? o : -1).Where(o => o >= 0)];
    }

    private void WriteOtherPlantsCopies(int count) => WriteCopies("telemetry", 0, "plant-u", count);

    /// <summary>Copies as <paramref name="site"/>'s mirror writes them into a cloud partition.</summary>
    private void WriteCopies(string topic, int partition, string site, int count)
    {
        using var producer = new ReadingProducer(_cloud.BootstrapServers, topic);
        var link = MirrorHeaders.LinkId(site, "telemetry");
        for (var n = 0; n < count; n++)
        {
            var headers = new Headers();
            MirrorHeaders.Add(headers, link, n);
            producer.Send(new Reading(site, "pump-01", "vibration", 1_795_000_000_000_000 + n, n, Quality.Good, "mm/s", "test", 0), partition, headers);
        }
        producer.Flush();
    }

    public void Dispose()
    {
        _cloud.Dispose();
        _edge.Dispose();
    }
}
