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
using Microsoft.Extensions.DependencyInjection;

namespace IotTelemetry.Edge;

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

/// <summary>
/// The edge agent's configuration: one options type per section (<see cref="ConfigSections"/>), each validated by its
/// own rules, the rules that span sections kept with the section whose key they name. Every problem of every section
/// is reported at once, before the agent opens anything.
/// </summary>
public static class EdgeConfiguration
{
    /// <summary>The named <see cref="KafkaClusterOptions"/> of section <c>Kafka:Edge</c>.</summary>
    public const string EdgeCluster = "Edge";

    /// <summary>The named <see cref="KafkaClusterOptions"/> of section <c>Kafka:Cloud</c> (the mirror's target).</summary>
    public const string CloudCluster = "Cloud";

    /// <summary>Room a dead letter needs beside its payload: the key (the MQTT topic) and the reason, detail, source and time headers.</summary>
    public const int DeadLetterOverheadBytes = 16 * 1024;

    /// <summary>Room an MQTT PUBLISH needs beside its payload: fixed header, topic (up to 65,535 bytes) and properties.</summary>
    public const int MqttPublishOverheadBytes = 64 * 1024;

    /// <summary>Every section the agent reads, as options with their validation (ValidateOnStart).</summary>
    public static IServiceCollection AddEdgeSections(this IServiceCollection services, IConfiguration configuration) => services
        .AddSection<AgentOptions>(configuration, "Edge", (agent, errors, services) =>
        {
            errors.Require(!string.IsNullOrWhiteSpace(agent.Site) && agent.Site.AsSpan().IndexOfAny("/+#") < 0, "Edge:Site",
                "this plant's id, without / + or #", agent.Site);
            errors.Require(Uri.TryCreate(agent.Urls.Split(';')[0], UriKind.Absolute, out _), "Edge:Urls", "a URL such as http://127.0.0.1:9101", agent.Urls);
        })
        .AddSection<TopicOptions>(configuration, "Topics", (topics, errors, _) =>
        {
            errors.RequireNotEmpty(topics.Telemetry, "Topics:Telemetry");
            errors.RequireNotEmpty(topics.DeadLetter, "Topics:DeadLetter");
            errors.RequireNotEmpty(topics.CloudTelemetry, "Topics:CloudTelemetry");
            errors.Require(topics.Telemetry != topics.DeadLetter, "Topics:DeadLetter", "a topic other than Topics:Telemetry", topics.DeadLetter);
        })
        .AddSection<KafkaClusterOptions>(configuration, "Kafka:Edge", (kafka, errors, sp) =>
        {
            kafka.Validate("Kafka:Edge", errors);
            CheckKafkaTransport("Kafka:Edge", kafka, sp.Bound<SecurityOptions>(), errors);
        }, EdgeCluster)
        .AddSection<KafkaClusterOptions>(configuration, "Kafka:Cloud", (kafka, errors, sp) =>
        {
            if (!sp.Bound<MirrorOptions>().Enabled) return;
            kafka.Validate("Kafka:Cloud", errors);
            CheckKafkaTransport("Kafka:Cloud", kafka, sp.Bound<SecurityOptions>(), errors);
        }, CloudCluster)
        .AddSection<MqttIngestOptions>(configuration, "Mqtt", (mqtt, errors, sp) =>
        {
            mqtt.Validate(errors);
            if (!mqtt.Enabled) return;
            // Every payload within Validation:MaxPayloadBytes must reach the agent through the packet size it allows (larger
            // ones, up to that packet size, are dead-lettered as payload_too_large, cut to fit).
            var payload = (long)sp.Bound<ValidationOptions>().MaxPayloadBytes;
            errors.Require(mqtt.MaximumPacketSize >= payload + MqttPublishOverheadBytes, "Mqtt:MaximumPacketSize",
                $"at least Validation:MaxPayloadBytes + {MqttPublishOverheadBytes} = {payload + MqttPublishOverheadBytes} bytes, so that every payload within the limit reaches the agent (the broker drops larger packets without telling anyone)",
                mqtt.MaximumPacketSize);
            InsecureTransport.Check(errors, sp.Bound<SecurityOptions>(), "Mqtt:Tls", mqtt.Tls is not null, [mqtt.Host], "MQTT connection");
        })
        .AddSection<List<MappingRule>>(configuration, "Mapping:Rules", (rules, errors, sp) =>
        {
            if (sp.Bound<MqttIngestOptions>().Enabled)
                errors.Require(rules.Count > 0, "Mapping:Rules", "at least one mapping rule when Mqtt:Enabled is true", "none");
            for (var i = 0; i < rules.Count; i++) ValidateRule(rules[i], $"Mapping:Rules:{i}", errors);
        })
        .AddSection<ValidationOptions>(configuration, "Validation", (validation, errors, sp) =>
        {
            // Every payload within the limit fits one edge Kafka record with its dead-letter headers.
            var kafkaRoom = sp.Bound<KafkaClusterOptions>(EdgeCluster).MessageMaxBytes - DeadLetterOverheadBytes;
            errors.Require(validation.MaxPayloadBytes >= 1 && validation.MaxPayloadBytes <= kafkaRoom, "Validation:MaxPayloadBytes",
                $"1 to Kafka:Edge:MessageMaxBytes - {DeadLetterOverheadBytes} = {kafkaRoom} bytes (a dead letter carries the whole payload plus its headers)",
                validation.MaxPayloadBytes);
            errors.RequireRange(validation.MaxJsonDepth, 1, 256, "Validation:MaxJsonDepth");
            errors.Require(validation.MaxFutureSkew >= TimeSpan.Zero, "Validation:MaxFutureSkew", "a duration >= 0", validation.MaxFutureSkew);
            errors.RequireRange(validation.MaxIdentifierLength, 1, 1024, "Validation:MaxIdentifierLength");
            errors.Require(validation.MinTimestamp >= DateTimeOffset.UnixEpoch, "Validation:MinTimestamp",
                "1970-01-01 or later (the cloud's lake holds no earlier event time)", validation.MinTimestamp);
        })
        .AddSection<MirrorOptions>(configuration, "Mirror", (mirror, errors, _) =>
        {
            if (mirror.Enabled) mirror.Validate(errors);
        })
        .AddSection<OpcUaIngestOptions>(configuration, "OpcUa", (opcUa, errors, sp) =>
        {
            opcUa.Validate(errors);
            var security = sp.Bound<SecurityOptions>();
            for (var i = 0; i < opcUa.Servers.Count; i++)
                if (Uri.TryCreate(opcUa.Servers[i].EndpointUrl, UriKind.Absolute, out var endpoint))
                    InsecureTransport.Check(errors, security, $"OpcUa:Servers:{i}:SecurityMode",
                        !opcUa.Servers[i].SecurityMode.Equals("None", StringComparison.OrdinalIgnoreCase), [endpoint.Host], "OPC UA session (SecurityMode None)");
        })
        .AddSection<SparkplugOptions>(configuration, "Sparkplug", (sparkplug, errors, _) => sparkplug.Validate(errors))
        .AddSection<List<VendorPolicy>>(configuration, "Vendors", (vendors, errors, sp) => VendorSettings.Validate(vendors, sp.Bound<TopicOptions>().Telemetry, errors))
        .AddSection<SecurityOptions>(configuration, "Security")
        .AddSection<DuplicateOptions>(configuration, "Duplicates", (duplicates, errors, _) => duplicates.Validate(errors));

    /// <summary>
    /// Every section bound and validated, as the agent does before it opens anything; throws a
    /// <see cref="ConfigurationException"/> naming every problem. The provider serves the checked sections.
    /// </summary>
    public static ServiceProvider Check(IConfiguration configuration) => ConfigSections.Check(services => services.AddEdgeSections(configuration));

    /// <summary>Refuses plaintext Kafka to non-loopback addresses unless Security:AllowInsecure is true.</summary>
    private static void CheckKafkaTransport(string key, KafkaClusterOptions kafka, SecurityOptions security, ConfigErrors errors)
    {
        if (!kafka.IsEmbedded)
            InsecureTransport.Check(errors, security, key + ":SecurityProtocol", InsecureTransport.IsEncryptedKafkaProtocol(kafka.SecurityProtocol),
                kafka.BootstrapServers.Split(','), $"Kafka connection ({kafka.SecurityProtocol})");
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
