using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Edge;
using IotTelemetry.Edge.Mirror;
using IotTelemetry.Edge.Mqtt;
using IotTelemetry.Edge.OpcUa;
using IotTelemetry.Edge.Vendors;
using IotTelemetry.Edge.Writer;
using IotTelemetry.Edge.Writer.Duplicates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// The edge agent: MQTT in, validated readings to the plant's Kafka, mirrored to the cloud cluster.
GcBudget.Apply(); // executes the agent again with its GC budget in the environment, unless it is there (README: Memory)
return await ServiceHost.RunAsync("iott-edge", async () =>
{
    NativeHeap.LimitArenas(2); // before the first Kafka client: librdkafka's threads would each grow an arena
    var builder = ServiceHost.CreateBuilder(args);
    // Every section bound and validated before anything opens: a bad value stops start-up naming its key.
    using var sections = EdgeConfiguration.Check(builder.Configuration);
    builder.Services.AddEdgeSections(builder.Configuration);
    var agent = sections.Section<AgentOptions>();
    var topics = sections.Section<TopicOptions>();
    var vendors = sections.Section<List<VendorPolicy>>();
    var mirror = sections.Section<MirrorOptions>();
    builder.WebHost.UseUrls(agent.Urls);

    using var edge = KafkaCluster.Open("Edge", sections.Section<KafkaClusterOptions>(EdgeConfiguration.EdgeCluster),
        [topics.Telemetry, topics.DeadLetter, .. VendorCurationService.EdgeTopics(vendors)]);
    using var cloud = mirror.Enabled
        ? KafkaCluster.Open("Cloud", sections.Section<KafkaClusterOptions>(EdgeConfiguration.CloudCluster), [topics.CloudTelemetry, .. VendorCurationService.CloudTopics(vendors)])
        : null;

    builder.Services.AddSingleton<EdgeMetrics>();
    builder.Services.AddSingleton<IngestHealth>();
    // One idempotent producer for every input (MQTT, OPC UA): readings and dead letters to the edge cluster.
    builder.Services.AddSingleton(sp => EdgeWriter.Create(sp.GetRequiredService<IOptions<TopicOptions>>(), sp.GetRequiredService<IOptions<DuplicateOptions>>(), edge,
        sp.GetRequiredService<EdgeMetrics>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("IotTelemetry.Edge.Writer"), sp.GetRequiredService<IHostApplicationLifetime>()));
    if (sections.Section<MqttIngestOptions>().Enabled) builder.Services.AddHostedService<MqttIngestService>();
    if (sections.Section<OpcUaIngestOptions>().Servers.Count > 0) builder.Services.AddHostedService<OpcUaIngestService>();
    if (vendors.Any(v => v.Enabled))
        builder.Services.AddSingleton<VendorMetrics>().AddHostedService(sp => VendorCurationService.Create(sp.GetRequiredService<IOptions<List<VendorPolicy>>>(),
            sp.GetRequiredService<IOptions<AgentOptions>>(), sp.GetRequiredService<IOptions<TopicOptions>>(), sp.GetRequiredService<IOptions<MirrorOptions>>(),
            edge, cloud, sp.GetRequiredService<EdgeMetrics>(), sp.GetRequiredService<VendorMetrics>(), sp.GetRequiredService<ILoggerFactory>()));
    if (cloud is not null)
        builder.Services.AddHostedService(sp => MirrorService.Create(sp.GetRequiredService<IOptions<AgentOptions>>(), sp.GetRequiredService<IOptions<TopicOptions>>(),
            sp.GetRequiredService<IOptions<MirrorOptions>>(), edge, cloud, sp.GetRequiredService<EdgeMetrics>(), sp.GetRequiredService<ILoggerFactory>()));

    await using var app = builder.Build(); // disposed (producers closed) before the embedded clusters
    var health = app.Services.GetRequiredService<IngestHealth>();
    ServiceHost.MapOperationalEndpoints(app, () => (true, "site=" + agent.Site), () => health.Problems);
    var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IotTelemetry.Edge");
    LogMessages.Starting(log, agent.Site, cloud is null ? edge.ToString() : edge + "; " + cloud);
    LogMessages.MetricsAt(log, agent.Urls);
    return await ServiceHost.RunUntilStoppedAsync(app);
});
