using System.Diagnostics;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Cloud.Tests;

/// <summary>
/// The lake's disk full (a small tmpfs filled to the last byte): the Parquet writer's "No space left on device"
/// is a failure of the sink's session, retried with a growing pause, not an exit of the cloud host; once space is
/// freed every reading arrives in the lake once (read back with DuckDB). Mounting needs root, as <c>make soak</c>'s
/// disk-full fault does.
/// </summary>
public sealed class LakeDiskFullTests : IAsyncLifetime
{
    private readonly MockCluster _kafka = new();
    private readonly string _disk = RepoPaths.NewTempDirectory("lake-disk");

    public LakeDiskFullTests()
    {
        _kafka.CreateTopic("telemetry", 1);
        _kafka.CreateTopic("alerts", 1);
        _kafka.CreateTopic("telemetry.deadletter", 1);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>xunit 2 calls this (not <see cref="IAsyncDisposable"/> on a test class): the tmpfs never outlives the test.</summary>
    public async Task DisposeAsync()
    {
        await RunAsync("umount", "-l", _disk);
        _kafka.Dispose();
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, output);
    }

    [Fact]
    public async Task A_full_lake_disk_is_retried_by_the_sink_while_the_host_runs_and_nothing_is_lost_once_it_is_freed()
    {
        var (code, output) = await RunAsync("mount", "-t", "tmpfs", "-o", "size=2m", "iott-test-lake", _disk);
        Assert.True(code == 0, "mount -t tmpfs (needs root): " + output);
        var filler = Path.Combine(_disk, "filler");
        await using (var fill = new FileStream(filler, FileMode.Create))
        {
            var block = new byte[64 * 1024];
            try { while (true) fill.Write(block); }
            catch (IOException) { } // the disk is full
        }

        var dir = RepoPaths.NewTempDirectory("lake-disk-host");
        await using var cloud = Programs.Start(Programs.CloudDll, new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = dir,
            ["Cloud:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Kafka:Cloud:BootstrapServers"] = _kafka.BootstrapServers,
            ["Lake:Root"] = Path.Combine(_disk, "lake"),
            ["Lake:IdleFlush"] = "00:00:00.500",
            ["Detector:Enabled"] = "false",
        });
        var t0 = UnixMicros.Now() - 60_000_000;
        using (var producer = new ReadingProducer(_kafka.BootstrapServers))
            producer.Produce(Enumerable.Range(0, 500).Select(i => new Reading("plant-d", "press-1", "force", t0 + i * 1000L, i, Quality.Good, "kN", "test", t0)));

        await Wait.UntilAsync(() => cloud.Lines.Count(l => l.Contains("Parquet sink loop failed", StringComparison.Ordinal)) >= 2,
            "the sink failing on the full disk twice", TimeSpan.FromSeconds(90));
        Assert.Contains(cloud.Lines, l => l.Contains("No space left on device", StringComparison.Ordinal));
        Assert.False(cloud.HasExited, "the cloud host exited on a full disk:\n" + cloud.Output);

        File.Delete(filler);
        var pattern = DuckDb.Literal(Path.Combine(_disk, "lake") + "/**/*.parquet");
        async Task<long> Count() => Directory.EnumerateFiles(_disk, "*.parquet", SearchOption.AllDirectories).Any()
            ? (await DuckDb.QueryAsync($"SELECT count(*) AS n, count(DISTINCT value) AS d FROM read_parquet({pattern})"))[0]["n"].GetInt64()
            : 0;
        await Wait.UntilAsync(async () => await Count() >= 500, "the 500 readings in the lake once the disk has room", TimeSpan.FromSeconds(120));
        var rows = await DuckDb.QueryAsync($"SELECT count(*) AS n, count(DISTINCT value) AS d, min(value) AS lo, max(value) AS hi FROM read_parquet({pattern})");
        Assert.Equal(500, rows[0]["n"].GetInt64());
        Assert.Equal(500, rows[0]["d"].GetInt64());
        Assert.Equal(0, rows[0]["lo"].GetDouble());
        Assert.Equal(499, rows[0]["hi"].GetDouble());
        Assert.False(cloud.HasExited);
    }
}
