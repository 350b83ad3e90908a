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

    [Fact]
    public async Task Bad_flight_settings_stop_the_host_naming_every_key()
    {
        await using var cloud = Programs.Start(Programs.CloudDll, new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = RepoPaths.NewTempDirectory("config"),
            ["Cloud:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Flight:Enabled"] = "true",
            ["Flight:Url"] = "https://127.0.0.1:9103",
            ["Flight:MaxRowsPerBatch"] = "0",
            ["Flight:TokenLifetime"] = "00:00:00",
            ["Detector:Enabled"] = "false",
        });
        Assert.Equal(2, await cloud.WaitForExitAsync());
        foreach (var key in new[] { "Flight:CertificateFile", "Flight:KeyFile", "Flight:MaxRowsPerBatch", "Flight:TokenLifetime", "Dashboard:Users" })
            Assert.Contains(key, cloud.Output);
    }

    [Fact]
    public async Task A_flight_url_with_a_host_name_is_refused_at_start_naming_the_key()
    {
        await using var cloud = Programs.Start(Programs.CloudDll, new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = RepoPaths.NewTempDirectory("config"),
            ["Cloud:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Flight:Enabled"] = "true",
            ["Flight:Url"] = "http://flight.example:9103",
            ["Dashboard:Users:0:Name"] = "alice",
            ["Dashboard:Users:0:PasswordHash"] = "pbkdf2-sha256$1000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            ["Detector:Enabled"] = "false",
        });
        Assert.Equal(2, await cloud.WaitForExitAsync());
        Assert.Contains("Flight:Url: expected http://host:port or https://host:port (an IP address or localhost)", cloud.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flight_endpoint_on_plain_http_to_another_machine_is_refused_unless_allowed()
    {
        await using var cloud = Programs.Start(Programs.CloudDll, new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = RepoPaths.NewTempDirectory("config"),
            ["Cloud:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Flight:Enabled"] = "true",
            ["Flight:Url"] = "http://0.0.0.0:9103",
            ["Dashboard:Users:0:Name"] = "alice",
            ["Dashboard:Users:0:PasswordHash"] = "pbkdf2-sha256$1000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            ["Detector:Enabled"] = "false",
        });
        Assert.Equal(2, await cloud.WaitForExitAsync());
        Assert.Contains("Flight:Url: refusing an unencrypted Arrow Flight endpoint", cloud.Output, StringComparison.Ordinal);
    }
}
