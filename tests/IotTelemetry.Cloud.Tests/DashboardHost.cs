namespace IotTelemetry.Cloud.Tests;

/// <summary>Cloud host settings for dashboard tests: only the vibration limit rule (7.1 mm/s, hysteresis 0.5), no lake, no rollups.</summary>
public static class DashboardHost
{
    public static Dictionary<string, string> Settings(string url, string dataDir, string bootstrap, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = dataDir,
            ["Cloud:Urls"] = url,
            ["Kafka:Cloud:BootstrapServers"] = bootstrap,
            ["Lake:Enabled"] = "false",
            ["Rollups:Enabled"] = "false",
            ["Dashboard:Enabled"] = "true",
            ["Detector:CheckpointInterval"] = "00:00:00.200",
            // Keep only the limit rules: the statistical and correlated rules match nothing here.
            ["Anomaly:Rules:2:Match"] = "none/none/none",
            ["Anomaly:Correlations:0:Match"] = "none/none",
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }
}
