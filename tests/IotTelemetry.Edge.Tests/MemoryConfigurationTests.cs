using System.Text.Json;
using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests;

/// <summary>
/// The agent's memory settings (README: Memory): workstation GC although the Web SDK defaults to Server GC, and the Kafka
/// buffer bounds refused with the key's name when out of range.
/// </summary>
public sealed class MemoryConfigurationTests
{
    [Fact]
    public void The_agent_runs_with_workstation_gc_not_the_web_sdks_server_gc()
    {
        var runtimeConfig = Path.ChangeExtension(Programs.EdgeDll, ".runtimeconfig.json");
        using var json = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.Concurrent").GetBoolean());
    }

    [Fact]
    public async Task A_consumer_fetch_below_the_record_limit_stops_start_up_naming_the_key()
    {
        await using var agent = Programs.Start(Programs.EdgeDll, new Dictionary<string, string>
        {
            ["Edge:Site"] = "plant-t", ["Kafka:Edge:BootstrapServers"] = "127.0.0.1:9", ["Kafka:Cloud:FetchMaxBytes"] = "4096",
        });
        Assert.Equal(2, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Kafka:Cloud:FetchMaxBytes: expected a number from 1000000 to 2147483135, got 4096", agent.Output);
    }
}
