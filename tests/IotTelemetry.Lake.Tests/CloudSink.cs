using System.Globalization;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>The cloud host with only its Parquet sink running, as a child process a test can SIGKILL.</summary>
public static class CloudSink
{
    public static (ExternalProcess Process, HostMetrics Metrics) Start(string bootstrapServers, string dataDir, int maxRowsPerFile,
        IDictionary<string, string>? extra = null)
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var settings = new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = dataDir,
            ["Cloud:Urls"] = url,
            ["Kafka:Cloud:BootstrapServers"] = bootstrapServers,
            ["Detector:Enabled"] = "false",
            ["Lake:MaxRowsPerFile"] = maxRowsPerFile.ToString(CultureInfo.InvariantCulture),
            ["Lake:IdleFlush"] = "00:00:01",
            ["Lake:MaxEventSpan"] = "00:20:00",
            ["Rollups:Enabled"] = "false", // tests of the rollup writer turn it on

            ["Logging:LogLevel:Default"] = "Warning",
            // A SIGKILLed member holds its partitions until its session times out: keep that short.
            ["Kafka:Cloud:Properties:session.timeout.ms"] = "3000",
            ["Kafka:Cloud:Properties:heartbeat.interval.ms"] = "500",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) settings[k] = v;
        return (Programs.Start(Programs.CloudDll, settings), new HostMetrics(url));
    }
}
