using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using IotTelemetry.Cloud.Detector;
using IotTelemetry.Cloud.Influx;
using IotTelemetry.Cloud.Lake;
using IotTelemetry.Cloud.Notifications;
using IotTelemetry.Cloud.Rollups;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Metrics;
using Microsoft.Extensions.Options;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>
/// The health view's figures: readings per second into the cloud, each consumer group's lag on the telemetry
/// topic, dead letters (the edge agents', the lake's, points InfluxDB refused), webhook failures. Samples at
/// most once a second, whatever the number of open pages.
/// </summary>
public sealed class PipelineHealth(IOptions<CloudTopicOptions> topics, IOptions<DetectorOptions> detector, IOptions<LakeOptions> lake, IOptions<RollupOptions> rollups, IOptions<InfluxOptions> influx, IOptions<DashboardOptions> dashboard, KafkaCluster cluster, Instruments registry, WebhookStatusBoard webhooks)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private HealthSample? _last;
    private long _lastReadings;
    private TimeSpan _lastAt;

    public HealthSample Sample()
    {
        lock (_gate)
        {
            if (_last is not null && _clock.Elapsed - _lastAt < TimeSpan.FromSeconds(1)) return _last;
            var readings = registry.Total("iott_cloud_detector_readings_total");
            if (readings == 0) readings = registry.Total("iott_cloud_influx_points_total");
            var now = _clock.Elapsed;
            var rate = _last is null ? 0 : (readings - _lastReadings) / Math.Max(0.001, (now - _lastAt).TotalSeconds);
            _lastReadings = readings;
            _lastAt = now;
            _last = new HealthSample(
                Math.Round(rate, 1),
                readings,
                Lags(),
                EdgeDeadLetters() + registry.Total("iott_cloud_lake_deadletters_total") + registry.Total("iott_cloud_influx_rejected_total"),
                registry.Total("iott_cloud_webhook_delivered_total"),
                registry.Total("iott_cloud_webhook_failures_total"),
                webhooks.Failing,
                registry.Total("iott_cloud_influx_write_failures_total"));
            return _last;
        }
    }

    private IReadOnlyList<ConsumerLag> Lags()
    {
        var groups = new List<(string Service, string Group)>();
        if (detector.Value.Enabled) groups.Add(("detector", detector.Value.GroupId));
        if (lake.Value.Enabled) groups.Add(("lake", lake.Value.GroupId));
        if (rollups.Value.Enabled) groups.Add(("rollups", rollups.Value.GroupId));
        if (influx.Value.Enabled) groups.Add(("influx", influx.Value.GroupId));
        var lags = new List<ConsumerLag>();
        try
        {
            var adminConfig = new AdminClientConfig();
            cluster.ApplyTo(adminConfig, "iott-dashboard-lag");
            using var admin = KafkaClients.Admin(adminConfig, null, "dashboard lag admin");
            var partitions = admin.GetMetadata(topics.Value.Telemetry, TimeSpan.FromSeconds(2)).Topics
                .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId))).ToList();
            foreach (var (service, group) in groups)
            {
                var config = cluster.ConsumerConfig(group, "iott-dashboard-lag");
                using var probe = KafkaClients.Consumer<byte[]?, byte[]?>(config, null, "dashboard lag reader").Build();
                var committed = probe.Committed(partitions, TimeSpan.FromSeconds(2));
                long lag = 0;
                foreach (var tpo in committed)
                {
                    var high = probe.QueryWatermarkOffsets(tpo.TopicPartition, TimeSpan.FromSeconds(2)).High.Value;
                    var at = tpo.Offset == Offset.Unset ? probe.QueryWatermarkOffsets(tpo.TopicPartition, TimeSpan.FromSeconds(2)).Low.Value : tpo.Offset.Value;
                    lag += Math.Max(0, high - at);
                }
                lags.Add(new ConsumerLag(service, group, lag));
                probe.Close();
            }
        }
        catch (KafkaException)
        {
            lags.Add(new ConsumerLag("kafka", "unreachable", -1));
        }
        return lags;
    }

    private long EdgeDeadLetters()
    {
        if (string.IsNullOrWhiteSpace(dashboard.Value.EdgeMetricsUrls)) return 0;
        long total = 0;
        foreach (var entry in dashboard.Value.EdgeMetricsUrls.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var url = entry.Contains('=') ? entry[(entry.IndexOf('=') + 1)..] : entry;
            try
            {
                var text = Http.GetStringAsync(url.TrimEnd('/') + "/metrics").GetAwaiter().GetResult();
                foreach (var line in text.Split('\n'))
                    if (line.StartsWith("iott_edge_dead_letters_total", StringComparison.Ordinal) && line.LastIndexOf(' ') is var space and > 0)
                        total += (long)double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or FormatException) { }
        }
        return total;
    }
}

/// <summary>What the health view shows.</summary>
public sealed record HealthSample(double ReadingsPerSecond, long ReadingsTotal, IReadOnlyList<ConsumerLag> Lag, long DeadLetters,
    long WebhooksDelivered, long WebhookFailures, long WebhooksFailingNow, long InfluxWriteFailures);

/// <summary>How far one service's consumer group is behind the end of the telemetry topic, in records.</summary>
public sealed record ConsumerLag(string Service, string Group, long Records);
