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

// The cloud services: anomaly detector and Parquet lake sink, consumer groups on the cloud cluster.
return await ServiceHost.RunAsync("iott-cloud", async () =>
{
    var builder = ServiceHost.CreateBuilder(args);
    var settings = CloudSettings.Load(builder.Configuration);
    builder.WebHost.UseUrls(settings.Host.Urls);
    Directory.CreateDirectory(settings.DataDir);

    using var cluster = KafkaCluster.Open("Cloud", settings.Kafka, [settings.Topics.Telemetry, settings.Topics.Alerts, settings.Topics.DeadLetter]);
    builder.Services.AddSingleton(settings);
    builder.Services.AddSingleton(cluster);
    builder.Services.AddSingleton<CloudMetrics>();
    if (settings.Detector.Enabled)
    {
        builder.Services.AddSingleton<DetectorService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DetectorService>());
    }
    if (settings.Lake.Enabled)
    {
        builder.Services.AddSingleton<ParquetSinkService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ParquetSinkService>());
        if (settings.Lake.CatalogInterval > TimeSpan.Zero) builder.Services.AddHostedService<LakeCatalogService>();
    }
    if (settings.Rollups.Enabled)
    {
        builder.Services.AddSingleton<RollupService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RollupService>());
    }
    if (settings.Flight.Enabled) builder.Services.AddHostedService<FlightHost>();
    InfluxSetup.AddServices(builder.Services, settings);
    DashboardEndpoints.AddServices(builder.Services, settings);
    NotificationSetup.AddServices(builder.Services, settings);

    var app = builder.Build();
    ServiceHost.MapOperationalEndpoints(app, () => (true, "data=" + settings.DataDir));
    DashboardEndpoints.Map(app, settings);
    var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IotTelemetry.Cloud");
    LogMessages.Starting(log, cluster.ToString(), settings.DataDir);
    LogMessages.MetricsAt(log, settings.Host.Urls);
    return await ServiceHost.RunUntilStoppedAsync(app);
});
