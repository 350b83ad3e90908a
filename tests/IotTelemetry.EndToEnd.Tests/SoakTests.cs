using System.Text.RegularExpressions;
using IotTelemetry.TestKit;

namespace IotTelemetry.EndToEnd.Tests;

/// <summary>
/// The short variant of <c>make soak</c>: the real processes (mosquitto, the node-opcua PLC, the edge agent, the cloud
/// host, the mock clusters in the orchestrator) for about 75 s at 2,000 readings/s while the edge agent and the cloud host
/// are SIGKILLed twice each, mosquitto and the PLC restarted, the cloud cluster made unreachable and the lake's disk
/// filled; the orchestrator's own DuckDB reconciliation must find every acknowledged reading in the lake exactly once.
/// </summary>
public sealed partial class SoakTests
{
    [Fact]
    public async Task A_short_soak_with_kills_outages_and_a_full_disk_loses_and_doubles_nothing()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "iott-soak-test-" + Guid.NewGuid().ToString("N"));
        await using var soak = ExternalProcess.Start("dotnet", [Programs.SoakDll], Path.GetDirectoryName(Programs.SoakDll), new Dictionary<string, string?>
        {
            ["DATA_DIR"] = dataDir, ["DURATION"] = "75", ["RATE"] = "2000", ["ASSETS"] = "100", ["SEED"] = "7", ["KILLS"] = "2",
            ["OUTAGE"] = "15", ["DISK_FULL"] = "10", ["BROKER_RESTARTS"] = "1", ["PLC_RESTARTS"] = "1", ["DRAIN"] = "180",
        });
        var code = await soak.WaitForExitAsync(TimeSpan.FromMinutes(8));
        var output = soak.Output;
        Assert.True(code == 0, $"make soak exited {code}:\n{output}");
        Assert.Contains("| lost | 0 |", output);
        Assert.Contains("| duplicated | 0 |", output);
        Assert.Contains("| unexpected | 0 |", output);
        var acknowledged = long.Parse(AcknowledgedRow().Match(output).Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(acknowledged >= 100_000, $"only {acknowledged} readings acknowledged:\n{output}");
        Assert.Contains($"| in the lake (site plant-s) | {acknowledged:N0} |", output);
        Assert.Matches(@"\| edge: kills / restarts / exits by itself / peak RSS \| 2 / [2-9]", output);
        Assert.Matches(@"\| cloud: kills / restarts / exits by itself / peak RSS \| 2 / [2-9]", output);
        Assert.Matches(@"\| mosquitto: kills / restarts / exits by itself / peak RSS \| 0 / [1-9]", output);
        Assert.DoesNotContain("(0 raised)", output); // the spikes raised alerts, and the journal and the topic agree on them
        Assert.Contains("Soak passed", output);
    }

    [GeneratedRegex(@"\| acknowledged \(PUBACK\) \| ([\d,]+) \|")]
    private static partial Regex AcknowledgedRow();
}
