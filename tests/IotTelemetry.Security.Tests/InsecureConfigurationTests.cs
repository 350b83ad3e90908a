using IotTelemetry.Common.Configuration;
using IotTelemetry.TestKit;

namespace IotTelemetry.Security.Tests;

/// <summary>Start-up refuses unencrypted connections to other machines unless that is explicitly allowed.</summary>
public sealed class InsecureConfigurationTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.1:9092", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("localhost:1883", true)]
    [InlineData("[::1]:9092", true)]
    [InlineData("::1", true)]
    [InlineData("10.0.0.5:9092", false)]
    [InlineData("kafka.plant.example:9092", false)]
    [InlineData("0.0.0.0", false)]
    public void Loopback_addresses_are_recognised(string address, bool loopback) => Assert.Equal(loopback, InsecureTransport.IsLoopback(address));

    [Fact]
    public void The_check_names_the_remote_address_and_is_lifted_only_by_AllowInsecure()
    {
        var errors = new ConfigErrors();
        InsecureTransport.Check(errors, new SecurityOptions(), "Kafka:Edge:SecurityProtocol", false, ["127.0.0.1:9092", "kafka-2:9092"], "Kafka connection");
        Assert.Contains("Kafka:Edge:SecurityProtocol: refusing an unencrypted Kafka connection to non-loopback kafka-2:9092", Assert.Single(errors.Problems));

        var allowed = new ConfigErrors();
        InsecureTransport.Check(allowed, new SecurityOptions { AllowInsecure = true }, "k", false, ["kafka-2:9092"], "Kafka connection");
        InsecureTransport.Check(allowed, new SecurityOptions(), "k", true, ["kafka-2:9092"], "Kafka connection");
        InsecureTransport.Check(allowed, new SecurityOptions(), "k", false, ["localhost:9092"], "Kafka connection");
        Assert.Empty(allowed.Problems);
    }

    private static Dictionary<string, string> Remote(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Edge:Site"] = "plant-t",
            ["Edge:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Mqtt:Host"] = "10.20.30.40",
            ["Kafka:Edge:BootstrapServers"] = "kafka.plant.example:9092",
            ["Kafka:Cloud:BootstrapServers"] = "kafka.cloud.example:9093",
            ["Kafka:Cloud:SecurityProtocol"] = "SaslPlaintext",
            ["Kafka:Cloud:SaslMechanism"] = "SCRAM-SHA-512",
            ["Kafka:Cloud:SaslUsername"] = "iott-edge",
            ["Kafka:Cloud:SaslPassword"] = "pw",
        };
        foreach (var (k, v) in extra) settings[k] = v;
        return settings;
    }

    [Fact]
    public async Task The_edge_agent_refuses_plaintext_to_remote_hosts_and_says_why()
    {
        await using var agent = Programs.Start(Programs.EdgeDll, Remote());
        Assert.Equal(2, await agent.WaitForExitAsync());
        Assert.Contains("Mqtt:Tls: refusing an unencrypted MQTT connection to non-loopback 10.20.30.40: readings and credentials would cross the network in clear", agent.Output);
        Assert.Contains("Kafka:Edge:SecurityProtocol: refusing an unencrypted Kafka connection (Plaintext) to non-loopback kafka.plant.example:9092", agent.Output);
        Assert.Contains("Kafka:Cloud:SecurityProtocol: refusing an unencrypted Kafka connection (SaslPlaintext) to non-loopback kafka.cloud.example:9093", agent.Output);
        Assert.Contains("Security:AllowInsecure=true", agent.Output);
    }

    [Fact]
    public async Task The_edge_agent_starts_with_plaintext_to_remote_hosts_when_explicitly_allowed()
    {
        await using var agent = Programs.Start(Programs.EdgeDll, Remote(("Security:AllowInsecure", "true")));
        await agent.WaitForLineAsync("Edge agent for site plant-t starting", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("refusing", agent.Output);
    }
}
