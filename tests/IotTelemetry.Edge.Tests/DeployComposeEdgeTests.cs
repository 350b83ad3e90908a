using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Edge.Json;
using IotTelemetry.Edge.Mirror;
using IotTelemetry.Edge.Mqtt;
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
        using var sections = EdgeConfiguration.Check(deploy.Configuration);

        Assert.Equal(["Mqtt:PasswordFile"], deploy.MountedSecrets);
        Assert.Equal("mosquitto", sections.Section<MqttIngestOptions>().Host);
        Assert.Equal("edge-agent", sections.Section<MqttIngestOptions>().Username);
        Assert.Equal("kafka-edge:9092", sections.Section<KafkaClusterOptions>(EdgeConfiguration.EdgeCluster).BootstrapServers);
        Assert.Equal("kafka-cloud:9092", sections.Section<KafkaClusterOptions>(EdgeConfiguration.CloudCluster).BootstrapServers);
        Assert.True(sections.Section<MirrorOptions>().Enabled);
        // the default mapping rules stay: the stack ingests plants/{site}/{asset}/{sensor} as the README shows
        Assert.Contains(sections.Section<List<MappingRule>>(), r => r.Topic == "plants/{site}/{asset}/{sensor}");
    }
}
