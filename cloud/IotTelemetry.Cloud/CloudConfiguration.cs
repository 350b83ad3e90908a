using IotTelemetry.Anomaly;
using IotTelemetry.Cloud.Dashboard;
using IotTelemetry.Cloud.Detector;
using IotTelemetry.Cloud.Flight;
using IotTelemetry.Cloud.Influx;
using IotTelemetry.Cloud.Lake;
using IotTelemetry.Cloud.Notifications;
using IotTelemetry.Cloud.Rollups;
using IotTelemetry.Common.Configuration;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Lake;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IotTelemetry.Cloud;

/// <summary>Section <c>Cloud</c>.</summary>
public sealed class CloudHostOptions
{
    /// <summary>Where the lake, the alert journal and other state live.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>Where /metrics and /health (and the dashboard) listen.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:9102";

    /// <summary><see cref="DataDir"/> as a full path.</summary>
    public string DataPath => Path.GetFullPath(DataDir);
}

/// <summary>Section <c>Topics</c>.</summary>
public sealed class CloudTopicOptions
{
    /// <summary>The mirrored telemetry topic.</summary>
    public string Telemetry { get; set; } = "telemetry";

    public string Alerts { get; set; } = "alerts";

    /// <summary>Where the Parquet sink puts records it cannot store (not a reading, or not representable in the lake).</summary>
    public string DeadLetter { get; set; } = "telemetry.deadletter";
}

/// <summary>
/// The cloud host's configuration: one options type per section (<see cref="ConfigSections"/>), each validated by its
/// own rules, the rules that span sections kept with the section whose key they name. Every problem of every section
/// is reported at once, before the host opens anything.
/// </summary>
public static class CloudConfiguration
{
    /// <summary>Every section the cloud host reads, as options with their validation (ValidateOnStart).</summary>
    public static IServiceCollection AddCloudSections(this IServiceCollection services, IConfiguration configuration) => services
        .AddSection<CloudHostOptions>(configuration, "Cloud", (host, errors, sp) =>
        {
            errors.RequireNotEmpty(host.DataDir, "Cloud:DataDir", "a directory for the lake and the alert journal");
            errors.Require(Uri.TryCreate(host.Urls.Split(';')[0], UriKind.Absolute, out var _), "Cloud:Urls", "a URL such as http://127.0.0.1:9102", host.Urls);
            // the dashboard's logins travel over Cloud:Urls
            if (sp.Bound<DashboardOptions>().Enabled &&
                Uri.TryCreate(host.Urls.Split(';')[0].Replace("*", "0.0.0.0").Replace("+", "0.0.0.0"), UriKind.Absolute, out var page))
                InsecureTransport.Check(errors, sp.Bound<SecurityOptions>(), "Cloud:Urls", page.Scheme == "https", [page.Host], "dashboard with logins (http)");
        })
        .AddSection<CloudTopicOptions>(configuration, "Topics", (topics, errors, _) =>
        {
            errors.RequireNotEmpty(topics.Telemetry, "Topics:Telemetry");
            errors.RequireNotEmpty(topics.Alerts, "Topics:Alerts");
            errors.RequireNotEmpty(topics.DeadLetter, "Topics:DeadLetter");
        })
        .AddSection<KafkaClusterOptions>(configuration, "Kafka:Cloud", (kafka, errors, sp) =>
        {
            kafka.Validate("Kafka:Cloud", errors);
            if (!kafka.IsEmbedded)
                InsecureTransport.Check(errors, sp.Bound<SecurityOptions>(), "Kafka:Cloud:SecurityProtocol", InsecureTransport.IsEncryptedKafkaProtocol(kafka.SecurityProtocol),
                    kafka.BootstrapServers.Split(','), $"Kafka connection ({kafka.SecurityProtocol})");
        })
        .AddSection<DetectorOptions>(configuration, "Detector", (detector, errors, _) => detector.Validate(errors))
        .AddSection<AnomalyOptions>(configuration, "Anomaly", (anomaly, errors, sp) =>
        {
            if (!sp.Bound<DetectorOptions>().Enabled) return;
            foreach (var problem in AnomalyOptionsValidator.Validate(anomaly)) errors.AddMessage(problem);
        })
        .AddSection<LakeOptions>(configuration, "Lake", (lake, errors, _) => lake.Validate(errors))
        .AddSection<RollupOptions>(configuration, "Rollups", (rollups, errors, _) => rollups.Validate(errors))
        .AddSection<RetentionPolicy>(configuration, "Retention", (retention, errors, _) =>
        {
            foreach (var problem in retention.Problems()) errors.AddMessage(problem);
        })
        .AddSection<FlightOptions>(configuration, "Flight", (flight, errors, sp) =>
        {
            var dashboard = sp.Bound<DashboardOptions>();
            flight.Validate(errors, dashboard.Users.Count);
            if (!flight.Enabled) return;
            if (!dashboard.Enabled) dashboard.ValidateUsers(errors); // Flight's logins are the dashboard's users
            if (Uri.TryCreate(flight.Url, UriKind.Absolute, out var url))
                InsecureTransport.Check(errors, sp.Bound<SecurityOptions>(), "Flight:Url", url.Scheme == "https", [url.Host], "Arrow Flight endpoint with logins (http)");
        })
        .AddSection<InfluxOptions>(configuration, "Influx", (influx, errors, sp) =>
        {
            influx.Validate(errors);
            if (influx.Enabled && Uri.TryCreate(influx.Url, UriKind.Absolute, out var url))
                InsecureTransport.Check(errors, sp.Bound<SecurityOptions>(), "Influx:Url", url.Scheme == "https", [url.Host], "InfluxDB connection (http)");
        })
        .AddSection<DashboardOptions>(configuration, "Dashboard", (dashboard, errors, _) => dashboard.Validate(errors))
        .AddSection<NotificationOptions>(configuration, "Notifications", (notifications, errors, sp) =>
        {
            notifications.Validate(errors);
            var security = sp.Bound<SecurityOptions>();
            for (var i = 0; i < notifications.Webhooks.Count; i++)
                if (Uri.TryCreate(notifications.Webhooks[i].Url, UriKind.Absolute, out var hook))
                    InsecureTransport.Check(errors, security, $"Notifications:Webhooks:{i}:Url", hook.Scheme == "https", [hook.Host], "webhook (http)");
        })
        .AddSection<SecurityOptions>(configuration, "Security");

    /// <summary>
    /// Every section bound and validated, as the host does before it opens anything; throws a
    /// <see cref="ConfigurationException"/> naming every problem. The provider serves the checked sections.
    /// </summary>
    public static ServiceProvider Check(IConfiguration configuration) => ConfigSections.Check(services => services.AddCloudSections(configuration));
}
