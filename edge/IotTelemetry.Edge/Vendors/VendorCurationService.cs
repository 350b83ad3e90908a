using IotTelemetry.Common.Kafka;
using IotTelemetry.Edge.Mirror;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
    public static VendorCurationService Create(IOptions<List<VendorPolicy>> vendors, IOptions<AgentOptions> agent, IOptions<TopicOptions> topics,
        IOptions<MirrorOptions> mirror, KafkaCluster edge, KafkaCluster? cloud, EdgeMetrics edgeMetrics, VendorMetrics metrics, ILoggerFactory loggers)
    {
        var enabled = vendors.Value.Where(v => v.Enabled).ToList();
        var log = loggers.CreateLogger("IotTelemetry.Edge.Vendors");
        var mirrorLog = loggers.CreateLogger("IotTelemetry.Edge.Mirror");
        return new VendorCurationService(
            [.. enabled.Select(v => new VendorCurator(edge, v, topics.Value.Telemetry, mirror.Value.CommitInterval, metrics, log))],
            cloud is null ? [] : [.. MirrorLinks(enabled, agent.Value.Site, mirror.Value, edge, cloud, edgeMetrics, mirrorLog)]);
    }

    /// <summary>Edge topics the vendors need (curated and policy journal), for creating them on an embedded cluster.</summary>
    public static IEnumerable<string> EdgeTopics(IEnumerable<VendorPolicy> vendors) =>
        vendors.Where(v => v.Enabled).SelectMany(v => new[] { v.EdgeTopic, v.PolicyTopicName });

    /// <summary>Cloud topics the vendors' mirror links write.</summary>
    public static IEnumerable<string> CloudTopics(IEnumerable<VendorPolicy> vendors) => vendors.Where(v => v.Enabled).Select(v => v.CloudTopicName);

    /// <summary>One mirror link per vendor: the curated edge topic to its cloud topic, with the mirror's no-gap no-duplicate guarantee.</summary>
    private static IEnumerable<MirrorLink> MirrorLinks(IEnumerable<VendorPolicy> vendors, string site, MirrorOptions mirror, KafkaCluster edge, KafkaCluster cloud,
        EdgeMetrics metrics, ILogger log) =>
        vendors.Select(v => new MirrorLink(edge, cloud, v.EdgeTopic, v.CloudTopicName, v.MirrorId ?? v.SiteFor(site), OwnGroup(mirror, v), metrics, log));

    private static MirrorOptions OwnGroup(MirrorOptions mirror, VendorPolicy vendor) => new()
    {
        Enabled = mirror.Enabled,
        GroupId = mirror.GroupId + "-" + vendor.Name,
        MirrorId = mirror.MirrorId,
        ResumeScanLimit = mirror.ResumeScanLimit,
        CommitInterval = mirror.CommitInterval,
    };
}
