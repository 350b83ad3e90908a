using IotTelemetry.Common.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Edge.Mirror;

/// <summary>Runs each mirror link on its own thread for the life of the host.</summary>
public sealed class MirrorService(IReadOnlyList<MirrorLink> links) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(links.Select(link => link.Start(stoppingToken)));

    public static MirrorService Create(EdgeSettings settings, KafkaCluster edge, KafkaCluster cloud, EdgeMetrics metrics, ILoggerFactory loggers)
    {
        var mirrorId = settings.Mirror.MirrorId ?? settings.Agent.Site;
        var log = loggers.CreateLogger("IotTelemetry.Edge.Mirror");
        return new MirrorService(
        [
            new MirrorLink(edge, cloud, settings.Topics.Telemetry, settings.Topics.CloudTelemetry, mirrorId, settings.Mirror, metrics, log),
        ]);
    }
}
