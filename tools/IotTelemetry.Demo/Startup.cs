using System.Diagnostics;

namespace IotTelemetry.Demo;

/// <summary>What `make run` and `make soak` both do while starting the plant's processes (shared by source with the soak tool).</summary>
internal static class Startup
{
    /// <summary>The edge agent's arguments for OPC UA node <paramref name="i"/> of the simulated PLC (server 0).</summary>
    public static string[] PlcNode(int i, string node, string asset, string sensor) =>
    [
        $"--OpcUa:Servers:0:Nodes:{i}:Node={node}", $"--OpcUa:Servers:0:Nodes:{i}:Asset={asset}",
        $"--OpcUa:Servers:0:Nodes:{i}:Sensor={sensor}", $"--OpcUa:Servers:0:Nodes:{i}:SamplingInterval=00:00:00.5",
    ];

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming the process's log when it exits first or <paramref name="timeout"/> passes.</summary>
    public static async Task WaitUntil(Func<Task<bool>> condition, ChildProcess process, string what, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (process.HasExited) throw new InvalidOperationException($"{process.Name} exited with code {process.ExitCode} while waiting for {what}; see {process.LogFile}");
            if (deadline.Elapsed > timeout) throw new TimeoutException($"timed out waiting for {what}; see {process.LogFile}");
            await Task.Delay(200);
        }
    }
}
