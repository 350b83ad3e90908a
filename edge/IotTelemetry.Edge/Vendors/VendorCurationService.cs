using IotTelemetry.Common.Kafka;
using IotTelemetry.Edge.Mirror;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Edge.Vendors;

/// <summary>
/// Runs one <see cref="VendorCurator"/> per enabled vendor policy and, when the cloud cluster is configured,
/// one <see cref="MirrorLink"/> per curated topic, each on its own thread.
/// </summary>
public sealed class VendorCurationService(IReadOnlyList<VendorCurator> curators, IReadOnlyList<MirrorLink> links) : BackgroundService
{
    public IReadOnlyList<VendorCurator> Curators => curators;
    public IReadOnlyList<MirrorLink> Links => links;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(curators.Select(c => c.Start(stoppingToken)).Concat(links.Select(l => l.Start(stoppingToken))));

    /// <param name="cloud">The cloud cluster, or null when nothing is mirrored (the curated topics then stay at the edge).</param>
    public static VendorCurationService Create(EdgeSettings settings, KafkaCluster edge, KafkaCluster? cloud, EdgeMetrics edgeMetrics,
        VendorMetrics metrics, ILoggerFactory loggers)
    {
        var log = loggers.CreateLogger("IotTelemetry.Edge.Vendors");
        var mirrorLog = loggers.CreateLogger("IotTelemetry.Edge.Mirror");
        return new VendorCurationService(
            [.. settings.Vendors.Where(v => v.Enabled).Select(v => new VendorCurator(edge, v, settings.Topics.Telemetry, settings.Mirror.CommitInterval, metrics, log))],
            cloud is null ? [] : [.. MirrorLinks(settings, edge, cloud, edgeMetrics, mirrorLog)]);
    }

    /// <summary>Edge topics the vendors need (curated and policy journal), for creating them on an embedded cluster.</summary>
    public static IEnumerable<string> EdgeTopics(EdgeSettings settings) =>
        settings.Vendors.Where(v => v.Enabled).SelectMany(v => new[] { v.EdgeTopic, v.PolicyTopicName });

    /// <summary>Cloud topics the vendors' mirror links write.</summary>
    public static IEnumerable<string> CloudTopics(EdgeSettings settings) => settings.Vendors.Where(v => v.Enabled).Select(v => v.CloudTopicName);

    /// <summary>One mirror link per vendor: the curated edge topic to its cloud topic, with the mirror's no-gap no-duplicate guarantee.</summary>
    public static IEnumerable<MirrorLink> MirrorLinks(EdgeSettings settings, KafkaCluster edge, KafkaCluster cloud, EdgeMetrics metrics, ILogger log) =>
        settings.Vendors.Where(v => v.Enabled).Select(v => new MirrorLink(edge, cloud, v.EdgeTopic, v.CloudTopicName,
            v.MirrorId ?? v.SiteFor(settings.Agent.Site), OwnGroup(settings.Mirror, v), metrics, log));

    private static MirrorOptions OwnGroup(MirrorOptions mirror, VendorPolicy vendor) => new()
    {
        Enabled = mirror.Enabled,
        GroupId = mirror.GroupId + "-" + vendor.Name,
        MirrorId = mirror.MirrorId,
        ResumeScanLimit = mirror.ResumeScanLimit,
        CommitInterval = mirror.CommitInterval,
    };
}
