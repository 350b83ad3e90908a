using IotTelemetry.TestKit;

namespace IotTelemetry.Cloud.Tests;

/// <summary>Wrong dashboard, InfluxDB and webhook settings stop the host at start with every key named and no secret shown.</summary>
public sealed class CloudConfigTests
{
    [Fact]
    public async Task Bad_dashboard_influx_and_webhook_settings_stop_the_host_naming_every_key()
    {
        await using var cloud = Programs.Start(Programs.CloudDll, new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = RepoPaths.NewTempDirectory("config"),
            ["Cloud:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Dashboard:Enabled"] = "true",
            ["Dashboard:Users:0:Name"] = "alice",
            ["Dashboard:Users:0:PasswordHash"] = "plain-text-password-1",
            ["Influx:Enabled"] = "true",
            ["Influx:Url"] = "localhost:8086",
            ["Influx:Token"] = "influx-secret-2",
            ["Notifications:Webhooks:0:Name"] = "tickets",
            ["Notifications:Webhooks:0:Url"] = "ftp://example",
            ["Notifications:Webhooks:0:Kinds:0"] = "Exploded",
        });
        Assert.Equal(2, await cloud.WaitForExitAsync());
        var output = cloud.Output;
        foreach (var key in new[] { "Dashboard:Users:0:PasswordHash", "Influx:Url", "Influx:Org", "Influx:Bucket",
                     "Notifications:Webhooks:0:Url", "Notifications:Webhooks:0:Kinds" })
            Assert.Contains(key, output);
        Assert.DoesNotContain("plain-text-password-1", output);
        Assert.DoesNotContain("influx-secret-2", output);
    }

    [Fact]
    public async Task Bad_rollup_retention_and_chart_settings_stop_the_host_naming_every_key()
    {
        await using var cloud = Programs.Start(Programs.CloudDll, new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = RepoPaths.NewTempDirectory("config"),
            ["Cloud:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Rollups:Compression"] = "lz4-please",
            ["Rollups:MaxReadingsPerBatch"] = "0",
            ["Rollups:IdleFlush"] = "00:00:00",
            ["Retention:RawDays"] = "0",
            ["Dashboard:Enabled"] = "true",
            ["Dashboard:MaxChartPoints"] = "5",
        });
        Assert.Equal(2, await cloud.WaitForExitAsync());
        var output = cloud.Output;
        foreach (var key in new[] { "Rollups:Compression", "Rollups:MaxReadingsPerBatch", "Rollups:IdleFlush", "Retention:RawDays", "Dashboard:MaxChartPoints" })
            Assert.Contains(key, output);
    }
}
