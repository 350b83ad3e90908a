using IotTelemetry.Anomaly;
using IotTelemetry.Cloud.Detector;
using IotTelemetry.Cloud.Dashboard;
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

namespace IotTelemetry.Cloud;

/// <summary>The cloud host's whole configuration, bound and validated once at start-up.</summary>
public sealed class CloudSettings
{
    /// <summary>Section <c>Cloud</c>.</summary>
    public sealed class HostOptions
    {
        /// <summary>Where the lake, the alert journal and other state live.</summary>
        public string DataDir { get; set; } = "data";

        /// <summary>Where /metrics and /health (and the dashboard) listen.</summary>
        public string Urls { get; set; } = "http://127.0.0.1:9102";
    }

    /// <summary>Section <c>Topics</c>.</summary>
    public sealed class TopicOptions
    {
        /// <summary>The mirrored telemetry topic.</summary>
        public string Telemetry { get; set; } = "telemetry";

        public string Alerts { get; set; } = "alerts";

        /// <summary>Where the Parquet sink puts records it cannot store (not a reading, or not representable in the lake).</summary>
        public string DeadLetter { get; set; } = "telemetry.deadletter";
    }

    public HostOptions Host { get; private init; } = new();
    public TopicOptions Topics { get; private init; } = new();
    public KafkaClusterOptions Kafka { get; private init; } = new();
    public DetectorOptions Detector { get; private init; } = new();
    public AnomalyOptions Anomaly { get; private init; } = new();
    public LakeOptions Lake { get; private init; } = new();
    public RollupOptions Rollups { get; private init; } = new();
    public RetentionPolicy Retention { get; private init; } = new();
    public FlightOptions Flight { get; private init; } = new();
    public InfluxOptions Influx { get; private init; } = new();
    public DashboardOptions Dashboard { get; private init; } = new();
    public NotificationOptions Notifications { get; private init; } = new();
    public SecurityOptions Security { get; private init; } = new();

    public string DataDir => Path.GetFullPath(Host.DataDir);

    /// <summary>Refuses unencrypted connections to other machines (Kafka, InfluxDB, webhooks, the dashboard's logins) unless Security:AllowInsecure is true.</summary>
    private void ValidateTransportSecurity(ConfigErrors errors)
    {
        if (!Kafka.IsEmbedded)
            InsecureTransport.Check(errors, Security, "Kafka:Cloud:SecurityProtocol", InsecureTransport.IsEncryptedKafkaProtocol(Kafka.SecurityProtocol),
                Kafka.BootstrapServers.Split(','), $"Kafka connection ({Kafka.SecurityProtocol})");
        if (Influx.Enabled && Uri.TryCreate(Influx.Url, UriKind.Absolute, out var influx))
            InsecureTransport.Check(errors, Security, "Influx:Url", influx.Scheme == "https", [influx.Host], "InfluxDB connection (http)");
        for (var i = 0; i < Notifications.Webhooks.Count; i++)
            if (Uri.TryCreate(Notifications.Webhooks[i].Url, UriKind.Absolute, out var hook))
                InsecureTransport.Check(errors, Security, $"Notifications:Webhooks:{i}:Url", hook.Scheme == "https", [hook.Host], "webhook (http)");
        if (Flight.Enabled && Uri.TryCreate(Flight.Url, UriKind.Absolute, out var flight))
            InsecureTransport.Check(errors, Security, "Flight:Url", flight.Scheme == "https", [flight.Host], "Arrow Flight endpoint with logins (http)");
        if (Dashboard.Enabled && Uri.TryCreate(Host.Urls.Split(';')[0].Replace("*", "0.0.0.0").Replace("+", "0.0.0.0"), UriKind.Absolute, out var page))
            InsecureTransport.Check(errors, Security, "Cloud:Urls", page.Scheme == "https", [page.Host], "dashboard with logins (http)");
    }

    public static CloudSettings Load(IConfiguration configuration)
    {
        var errors = new ConfigErrors();
        var settings = new CloudSettings
        {
            Host = ServiceHost.Bind<HostOptions>(configuration, "Cloud", errors),
            Topics = ServiceHost.Bind<TopicOptions>(configuration, "Topics", errors),
            Kafka = ServiceHost.Bind<KafkaClusterOptions>(configuration, "Kafka:Cloud", errors),
            Detector = ServiceHost.Bind<DetectorOptions>(configuration, "Detector", errors),
            Anomaly = ServiceHost.Bind<AnomalyOptions>(configuration, "Anomaly", errors),
            Lake = ServiceHost.Bind<LakeOptions>(configuration, "Lake", errors),
            Rollups = ServiceHost.Bind<RollupOptions>(configuration, "Rollups", errors),
            Retention = ServiceHost.Bind<RetentionPolicy>(configuration, "Retention", errors),
            Flight = ServiceHost.Bind<FlightOptions>(configuration, "Flight", errors),
            Influx = ServiceHost.Bind<InfluxOptions>(configuration, "Influx", errors),
            Dashboard = ServiceHost.Bind<DashboardOptions>(configuration, "Dashboard", errors),
            Notifications = ServiceHost.Bind<NotificationOptions>(configuration, "Notifications", errors),
            Security = ServiceHost.Bind<SecurityOptions>(configuration, "Security", errors),
        };
        errors.RequireNotEmpty(settings.Host.DataDir, "Cloud:DataDir", "a directory for the lake and the alert journal");
        errors.Require(Uri.TryCreate(settings.Host.Urls.Split(';')[0], UriKind.Absolute, out _), "Cloud:Urls", "a URL such as http://127.0.0.1:9102", settings.Host.Urls);
        errors.RequireNotEmpty(settings.Topics.Telemetry, "Topics:Telemetry");
        errors.RequireNotEmpty(settings.Topics.Alerts, "Topics:Alerts");
        errors.RequireNotEmpty(settings.Topics.DeadLetter, "Topics:DeadLetter");
        settings.Kafka.Validate("Kafka:Cloud", errors);
        settings.Detector.Validate(errors);
        if (settings.Detector.Enabled)
            foreach (var problem in AnomalyOptionsValidator.Validate(settings.Anomaly)) errors.AddMessage(problem);
        settings.Lake.Validate(errors);
        settings.Rollups.Validate(errors);
        foreach (var problem in settings.Retention.Problems()) errors.AddMessage(problem);
        settings.Flight.Validate(errors, settings.Dashboard.Users.Count);
        if (settings.Flight.Enabled && !settings.Dashboard.Enabled) settings.Dashboard.ValidateUsers(errors);
        settings.Influx.Validate(errors);
        settings.Dashboard.Validate(errors);
        settings.Notifications.Validate(errors);
        settings.ValidateTransportSecurity(errors);
        errors.ThrowIfAny();
        return settings;
    }
}
