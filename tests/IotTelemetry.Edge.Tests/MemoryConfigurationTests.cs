using System.Text.Json;
using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests;

/// <summary>
/// The agent's memory settings (README: Memory): workstation GC although the Web SDK defaults to Server GC, its gen0
/// budget, and the Kafka buffer bounds refused with the key's name when out of range.
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
    public async Task The_agent_runs_with_a_2_mib_gen0_budget_in_the_same_process_it_was_started_as()
    {
        await using var agent = Programs.Start(Programs.EdgeDll, QuietAgent());
        await agent.WaitForLineAsync("Application started", TimeSpan.FromSeconds(60));
        // The runtime reads the budget only from the environment: the agent executed itself again, keeping its PID and arguments.
        var environment = EnvironmentOf(agent.Id);
        Assert.Equal("0x200000", environment.GetValueOrDefault("DOTNET_GCgen0size"));
        Assert.Contains("--Mqtt:Enabled=false", File.ReadAllText($"/proc/{agent.Id}/cmdline").Split('\0'));
        Assert.False(agent.HasExited);
        // dotnet-trace and dotnet-counters still reach it: the first runtime's diagnostics socket, left behind by exec under
        // the same name, would have kept the second one from listening.
        var directory = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } tmp ? tmp : "/tmp";
        var socketPath = Assert.Single(Directory.GetFiles(directory, $"dotnet-diagnostic-{agent.Id}-*-socket"));
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
        Assert.True(socket.Connected);
    }

    [Fact]
    public async Task A_budget_given_in_the_environment_is_left_as_it_is()
    {
        await using var agent = Programs.Start(Programs.EdgeDll, QuietAgent(), new Dictionary<string, string?> { ["DOTNET_GCgen0size"] = "0" });
        await agent.WaitForLineAsync("Application started", TimeSpan.FromSeconds(60));
        var environment = EnvironmentOf(agent.Id);
        Assert.Equal("0", environment.GetValueOrDefault("DOTNET_GCgen0size"));
        Assert.False(environment.ContainsKey("IOTT_GC_BUDGET_APPLIED")); // not executed again
    }

    private static Dictionary<string, string> QuietAgent() => new()
    {
        ["Edge:Site"] = "plant-t", ["Edge:Urls"] = $"http://127.0.0.1:{FreePort.Next()}", ["Mqtt:Enabled"] = "false",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };

    private static Dictionary<string, string> EnvironmentOf(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('=', 2)).Where(kv => kv.Length == 2).GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => g.Last()[1]);

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
