using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests;

/// <summary>The edge agent's configuration in deploy/compose passes the agent's own start-up validation (no Docker needed).</summary>
public sealed class DeployComposeEdgeTests
{
    [Fact]
    public void The_compose_edge_configuration_passes_the_agents_validation()
    {
        var json = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "compose", "edge.json"));
        using var deploy = new DeployConfiguration("edge/IotTelemetry.EdgeAgent", json, new Dictionary<string, string>());
        var settings = EdgeSettings.Load(deploy.Configuration);

        Assert.Equal(["Mqtt:PasswordFile"], deploy.MountedSecrets);
        Assert.Equal("mosquitto", settings.Mqtt.Host);
        Assert.Equal("edge-agent", settings.Mqtt.Username);
        Assert.Equal("kafka-edge:9092", settings.EdgeKafka.BootstrapServers);
        Assert.Equal("kafka-cloud:9092", settings.CloudKafka.BootstrapServers);
        Assert.True(settings.Mirror.Enabled);
        // the default mapping rules stay: the stack ingests plants/{site}/{asset}/{sensor} as the README shows
        Assert.Contains(settings.Rules, r => r.Topic == "plants/{site}/{asset}/{sensor}");
    }
}
