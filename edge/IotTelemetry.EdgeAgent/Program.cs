using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Metrics;
using IotTelemetry.Edge.Mirror;
using IotTelemetry.Edge.Mqtt;
using IotTelemetry.Edge.OpcUa;
using IotTelemetry.Edge.Vendors;
using IotTelemetry.Edge.Writer;
using IotTelemetry.Edge;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The edge agent: MQTT in, validated readings to the plant's Kafka, mirrored to the cloud cluster.
return await ServiceHost.RunAsync("iott-edge", async () =>
{
    NativeHeap.LimitArenas(2); // before the first Kafka client: librdkafka's threads would each grow an arena
    var builder = ServiceHost.CreateBuilder(args);
    var settings = EdgeSettings.Load(builder.Configuration);
    builder.WebHost.UseUrls(settings.Agent.Urls);

    using var edge = KafkaCluster.Open("Edge", settings.EdgeKafka, [settings.Topics.Telemetry, settings.Topics.DeadLetter, .. VendorCurationService.EdgeTopics(settings)]);
    using var cloud = settings.Mirror.Enabled
        ? KafkaCluster.Open("Cloud", settings.CloudKafka, [settings.Topics.CloudTelemetry, .. VendorCurationService.CloudTopics(settings)])
        : null;

    builder.Services.AddSingleton(settings);
    builder.Services.AddSingleton<EdgeMetrics>();
    builder.Services.AddSingleton<IngestHealth>();
    // One idempotent producer for every input (MQTT, OPC UA): readings and dead letters to the edge cluster.
    builder.Services.AddSingleton(sp => EdgeWriter.Create(settings, edge, sp.GetRequiredService<EdgeMetrics>(),
        sp.GetRequiredService<ILoggerFactory>().CreateLogger("IotTelemetry.Edge.Writer"), sp.GetRequiredService<IHostApplicationLifetime>()));
    if (settings.Mqtt.Enabled)
        builder.Services.AddHostedService(sp => new MqttIngestService(settings, sp.GetRequiredService<EdgeWriter>(), sp.GetRequiredService<EdgeMetrics>(),
            sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<IHostApplicationLifetime>()));
    if (settings.OpcUa.Servers.Count > 0)
        builder.Services.AddHostedService(sp => new OpcUaIngestService(settings, sp.GetRequiredService<EdgeWriter>(), sp.GetRequiredService<EdgeMetrics>(),
            sp.GetRequiredService<IngestHealth>(), sp.GetRequiredService<ILoggerFactory>()));
    if (settings.Vendors.Any(v => v.Enabled))
        builder.Services.AddSingleton<VendorMetrics>().AddHostedService(sp => VendorCurationService.Create(settings, edge, cloud,
            sp.GetRequiredService<EdgeMetrics>(), sp.GetRequiredService<VendorMetrics>(), sp.GetRequiredService<ILoggerFactory>()));
    if (cloud is not null)
        builder.Services.AddHostedService(sp => MirrorService.Create(settings, edge, cloud, sp.GetRequiredService<EdgeMetrics>(),
            sp.GetRequiredService<ILoggerFactory>()));

    await using var app = builder.Build(); // disposed (producers closed) before the embedded clusters
    var health = app.Services.GetRequiredService<IngestHealth>();
    ServiceHost.MapOperationalEndpoints(app, () => (true, "site=" + settings.Agent.Site), () => health.Problems);
    var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IotTelemetry.Edge");
    LogMessages.Starting(log, settings.Agent.Site, cloud is null ? edge.ToString() : edge + "; " + cloud);
    LogMessages.MetricsAt(log, settings.Agent.Urls);
    return await ServiceHost.RunUntilStoppedAsync(app);
});
