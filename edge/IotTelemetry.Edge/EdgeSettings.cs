using IotTelemetry.Common.Configuration;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Edge.Json;
using IotTelemetry.Edge.Mirror;
using IotTelemetry.Edge.Mqtt;
using IotTelemetry.Edge.OpcUa;
using IotTelemetry.Edge.Sparkplug;
using IotTelemetry.Edge.Validation;
using IotTelemetry.Edge.Vendors;
using IotTelemetry.Edge.Writer.Duplicates;
using Microsoft.Extensions.Configuration;

namespace IotTelemetry.Edge;

/// <summary>The edge agent's whole configuration, bound and validated once at start-up.</summary>
public sealed class EdgeSettings
{
    /// <summary>Section <c>Edge</c>.</summary>
    public sealed class AgentOptions
    {
        /// <summary>This plant's id: the site of readings whose topic does not name one, and the mirror's id.</summary>
        public string Site { get; set; } = "";

        /// <summary>Where /metrics and /health listen.</summary>
        public string Urls { get; set; } = "http://127.0.0.1:9101";
    }

    /// <summary>Section <c>Topics</c>.</summary>
    public sealed class TopicOptions
    {
        public string Telemetry { get; set; } = "telemetry";
        public string DeadLetter { get; set; } = "telemetry.deadletter";

        /// <summary>The mirrored telemetry topic on the cloud cluster.</summary>
        public string CloudTelemetry { get; set; } = "telemetry";
    }

    public AgentOptions Agent { get; private init; } = new();
    public TopicOptions Topics { get; private init; } = new();
    public KafkaClusterOptions EdgeKafka { get; private init; } = new();
    public KafkaClusterOptions CloudKafka { get; private init; } = new();
    public MqttIngestOptions Mqtt { get; private init; } = new();
    public List<MappingRule> Rules { get; private init; } = [];
    public ValidationOptions Validation { get; private init; } = new();
    public MirrorOptions Mirror { get; private init; } = new();
    public OpcUaIngestOptions OpcUa { get; private init; } = new();
    public SparkplugOptions Sparkplug { get; private init; } = new();
    public List<VendorPolicy> Vendors { get; private init; } = [];
    public SecurityOptions Security { get; private init; } = new();
    public DuplicateOptions Duplicates { get; private init; } = new();

    public static EdgeSettings Load(IConfiguration configuration)
    {
        var errors = new ConfigErrors();
        var settings = new EdgeSettings
        {
            Agent = ServiceHost.Bind<AgentOptions>(configuration, "Edge", errors),
            Topics = ServiceHost.Bind<TopicOptions>(configuration, "Topics", errors),
            EdgeKafka = ServiceHost.Bind<KafkaClusterOptions>(configuration, "Kafka:Edge", errors),
            CloudKafka = ServiceHost.Bind<KafkaClusterOptions>(configuration, "Kafka:Cloud", errors),
            Mqtt = ServiceHost.Bind<MqttIngestOptions>(configuration, "Mqtt", errors),
            Rules = ServiceHost.Bind<List<MappingRule>>(configuration, "Mapping:Rules", errors),
            Validation = ServiceHost.Bind<ValidationOptions>(configuration, "Validation", errors),
            Mirror = ServiceHost.Bind<MirrorOptions>(configuration, "Mirror", errors),
            OpcUa = ServiceHost.Bind<OpcUaIngestOptions>(configuration, "OpcUa", errors),
            Sparkplug = ServiceHost.Bind<SparkplugOptions>(configuration, "Sparkplug", errors),
            Vendors = ServiceHost.Bind<List<VendorPolicy>>(configuration, "Vendors", errors),
            Security = ServiceHost.Bind<SecurityOptions>(configuration, "Security", errors),
            Duplicates = ServiceHost.Bind<DuplicateOptions>(configuration, "Duplicates", errors),
        };
        settings.Validate(errors);
        errors.ThrowIfAny();
        return settings;
    }

    private void Validate(ConfigErrors errors)
    {
        errors.Require(!string.IsNullOrWhiteSpace(Agent.Site) && Agent.Site.AsSpan().IndexOfAny("/+#") < 0, "Edge:Site",
            "this plant's id, without / + or #", Agent.Site);
        errors.Require(Uri.TryCreate(Agent.Urls.Split(';')[0], UriKind.Absolute, out _), "Edge:Urls", "a URL such as http://127.0.0.1:9101", Agent.Urls);
        errors.RequireNotEmpty(Topics.Telemetry, "Topics:Telemetry");
        errors.RequireNotEmpty(Topics.DeadLetter, "Topics:DeadLetter");
        errors.RequireNotEmpty(Topics.CloudTelemetry, "Topics:CloudTelemetry");
        errors.Require(Topics.Telemetry != Topics.DeadLetter, "Topics:DeadLetter", "a topic other than Topics:Telemetry", Topics.DeadLetter);
        EdgeKafka.Validate("Kafka:Edge", errors);
        if (Mirror.Enabled) CloudKafka.Validate("Kafka:Cloud", errors);
        Mqtt.Validate(errors);
        if (Mqtt.Enabled) errors.Require(Rules.Count > 0, "Mapping:Rules", "at least one mapping rule when Mqtt:Enabled is true", "none");
        for (var i = 0; i < Rules.Count; i++) ValidateRule(Rules[i], $"Mapping:Rules:{i}", errors);
        ValidateSizeLimits(errors);
        errors.RequireRange(Validation.MaxJsonDepth, 1, 256, "Validation:MaxJsonDepth");
        errors.Require(Validation.MaxFutureSkew >= TimeSpan.Zero, "Validation:MaxFutureSkew", "a duration >= 0", Validation.MaxFutureSkew);
        errors.RequireRange(Validation.MaxIdentifierLength, 1, 1024, "Validation:MaxIdentifierLength");
        errors.Require(Validation.MinTimestamp >= DateTimeOffset.UnixEpoch, "Validation:MinTimestamp",
            "1970-01-01 or later (the cloud's lake holds no earlier event time)", Validation.MinTimestamp);
        if (Mirror.Enabled) Mirror.Validate(errors);
        OpcUa.Validate(errors);
        Sparkplug.Validate(errors);
        Duplicates.Validate(errors);
        VendorSettings.Validate(Vendors, Topics.Telemetry, errors);
        ValidateTransportSecurity(errors);
    }

    /// <summary>Room a dead letter needs beside its payload: the key (the MQTT topic) and the reason, detail, source and time headers.</summary>
    public const int DeadLetterOverheadBytes = 16 * 1024;

    /// <summary>Room an MQTT PUBLISH needs beside its payload: fixed header, topic (up to 65,535 bytes) and properties.</summary>
    public const int MqttPublishOverheadBytes = 64 * 1024;

    /// <summary>
    /// The three size limits must nest: every payload within Validation:MaxPayloadBytes fits one edge Kafka record with its
    /// dead-letter headers, and reaches the agent through Mqtt:MaximumPacketSize (larger ones, up to that packet size, are
    /// dead-lettered as payload_too_large, cut to fit).
    /// </summary>
    private void ValidateSizeLimits(ConfigErrors errors)
    {
        var kafkaRoom = EdgeKafka.MessageMaxBytes - DeadLetterOverheadBytes;
        errors.Require(Validation.MaxPayloadBytes >= 1 && Validation.MaxPayloadBytes <= kafkaRoom, "Validation:MaxPayloadBytes",
            $"1 to Kafka:Edge:MessageMaxBytes - {DeadLetterOverheadBytes} = {kafkaRoom} bytes (a dead letter carries the whole payload plus its headers)",
            Validation.MaxPayloadBytes);
        if (Mqtt.Enabled)
            errors.Require((long)Mqtt.MaximumPacketSize >= (long)Validation.MaxPayloadBytes + MqttPublishOverheadBytes, "Mqtt:MaximumPacketSize",
                $"at least Validation:MaxPayloadBytes + {MqttPublishOverheadBytes} = {(long)Validation.MaxPayloadBytes + MqttPublishOverheadBytes} bytes, so that every payload within the limit reaches the agent (the broker drops larger packets without telling anyone)",
                Mqtt.MaximumPacketSize);
    }

    /// <summary>Refuses plaintext MQTT and Kafka to non-loopback addresses unless Security:AllowInsecure is true.</summary>
    private void ValidateTransportSecurity(ConfigErrors errors)
    {
        if (Mqtt.Enabled) InsecureTransport.Check(errors, Security, "Mqtt:Tls", Mqtt.Tls is not null, [Mqtt.Host], "MQTT connection");
        foreach (var (key, kafka, used) in new[] { ("Kafka:Edge", EdgeKafka, true), ("Kafka:Cloud", CloudKafka, Mirror.Enabled) })
            if (used && !kafka.IsEmbedded)
                InsecureTransport.Check(errors, Security, key + ":SecurityProtocol", InsecureTransport.IsEncryptedKafkaProtocol(kafka.SecurityProtocol),
                    kafka.BootstrapServers.Split(','), $"Kafka connection ({kafka.SecurityProtocol})");
        for (var i = 0; i < OpcUa.Servers.Count; i++)
            if (Uri.TryCreate(OpcUa.Servers[i].EndpointUrl, UriKind.Absolute, out var endpoint))
                InsecureTransport.Check(errors, Security, $"OpcUa:Servers:{i}:SecurityMode",
                    !OpcUa.Servers[i].SecurityMode.Equals("None", StringComparison.OrdinalIgnoreCase), [endpoint.Host], "OPC UA session (SecurityMode None)");
    }

    private static void ValidateRule(MappingRule rule, string key, ConfigErrors errors)
    {
        if (!TopicTemplate.TryParse(rule.Topic, out _, out var why)) errors.Add(key + ":Topic", why, rule.Topic);
        ValidatePaths(key, errors,
        [
            ("ValuePath", rule.ValuePath), ("TimestampPath", rule.TimestampPath), ("UnitPath", rule.UnitPath), ("QualityPath", rule.QualityPath),
            ("ReadingsPath", rule.ReadingsPath), ("SensorPath", rule.SensorPath), ("AssetPath", rule.AssetPath), ("When", rule.When),
        ]);
        errors.RequireNotEmpty(rule.ValuePath, key + ":ValuePath", "a JSON path to the value, e.g. $.value");
        ValidateTimestampUnit(rule.TimestampUnit, key, errors);
        for (var i = 0; i < rule.Shapes.Count; i++)
        {
            var shape = rule.Shapes[i];
            var shapeKey = $"{key}:Shapes:{i}";
            ValidatePaths(shapeKey, errors,
            [
                ("ValuePath", shape.ValuePath), ("TimestampPath", shape.TimestampPath), ("UnitPath", shape.UnitPath), ("QualityPath", shape.QualityPath),
                ("When", shape.When),
            ]);
            if (shape.TimestampUnit is not null) ValidateTimestampUnit(shape.TimestampUnit, shapeKey, errors);
        }
    }

    private static void ValidatePaths(string key, ConfigErrors errors, (string Name, string? Path)[] paths)
    {
        foreach (var (name, path) in paths)
            if (!string.IsNullOrEmpty(path) && !JsonPath.TryParse(path, out _, out var pathError)) errors.Add(key + ":" + name, pathError, path);
    }

    private static void ValidateTimestampUnit(string unit, string key, ConfigErrors errors) =>
        errors.Require(unit is "auto" or "s" or "ms" or "us", key + ":TimestampUnit", "auto, s, ms or us", unit);
}
