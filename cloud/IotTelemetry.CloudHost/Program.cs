using IotTelemetry.Cloud;
using IotTelemetry.Cloud.Detector;
using IotTelemetry.Cloud.Dashboard;
using IotTelemetry.Cloud.Flight;
using IotTelemetry.Cloud.Influx;
using IotTelemetry.Cloud.Lake;
using IotTelemetry.Cloud.Notifications;
using IotTelemetry.Cloud.Rollups;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// The cloud services: consumer groups on the cloud cluster (detector, lake, rollups, InfluxDB, dashboard feeds).
return await ServiceHost.RunAsync("iott-cloud", async () =>
{
    var builder = ServiceHost.CreateBuilder(args);
    // Every section bound and validated before anything opens: a bad value stops start-up naming its key.
    using var sections = CloudConfiguration.Check(builder.Configuration);
    builder.Services.AddCloudSections(builder.Configuration);
    var host = sections.Section<CloudHostOptions>();
    var topics = sections.Section<CloudTopicOptions>();
    var lake = sections.Section<LakeOptions>();
    builder.WebHost.UseUrls(host.Urls);
    Directory.CreateDirectory(host.DataPath);

    using var cluster = KafkaCluster.Open("Cloud", sections.Section<KafkaClusterOptions>(), [topics.Telemetry, topics.Alerts, topics.DeadLetter]);
    builder.Services.AddSingleton(cluster);
    builder.Services.AddSingleton<CloudMetrics>();
    if (sections.Section<DetectorOptions>().Enabled)
    {
        builder.Services.AddSingleton<DetectorService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DetectorService>());
    }
    if (lake.Enabled)
    {
        builder.Services.AddSingleton<ParquetSinkService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ParquetSinkService>());
        if (lake.CatalogInterval > TimeSpan.Zero) builder.Services.AddHostedService<LakeCatalogService>();
    }
    if (sections.Section<RollupOptions>().Enabled)
    {
        builder.Services.AddSingleton<RollupService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RollupService>());
    }
    if (sections.Section<FlightOptions>().Enabled) builder.Services.AddHostedService<FlightHost>();
    InfluxSetup.AddServices(builder.Services, sections);
    DashboardEndpoints.AddServices(builder.Services, sections);
    NotificationSetup.AddServices(builder.Services, sections);

    var app = builder.Build();
    ServiceHost.MapOperationalEndpoints(app, () => (true, "data=" + host.DataPath));
    DashboardEndpoints.Map(app);
    var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IotTelemetry.Cloud");
    LogMessages.Starting(log, cluster.ToString(), host.DataPath);
    LogMessages.MetricsAt(log, host.Urls);
    return await ServiceHost.RunUntilStoppedAsync(app);
});
