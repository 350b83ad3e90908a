using IotTelemetry.Common.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IotTelemetry.Edge.Mirror;

/// <summary>Runs each mirror link on its own thread for the life of the host.</summary>
public sealed class MirrorService(IReadOnlyList<MirrorLink> links) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(links.Select(link => link.Start(stoppingToken)));

    public static MirrorService Create(IOptions<AgentOptions> agent, IOptions<TopicOptions> topics, IOptions<MirrorOptions> mirror, KafkaCluster edge,
        KafkaCluster cloud, EdgeMetrics metrics, ILoggerFactory loggers)
    {
        var mirrorId = mirror.Value.MirrorId ?? agent.Value.Site;
        var log = loggers.CreateLogger("IotTelemetry.Edge.Mirror");
        return new MirrorService(
        [
            new MirrorLink(edge, cloud, topics.Value.Telemetry, topics.Value.CloudTelemetry, mirrorId, mirror.Value, metrics, log),
        ]);
    }
}
