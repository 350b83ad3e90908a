using IotTelemetry.Common.Metrics;

namespace IotTelemetry.Edge;

/// <summary>The edge agent's counters, exported at /metrics.</summary>
public sealed class EdgeMetrics(Instruments registry)
{
    public Instruments Registry { get; } = registry;

    public TaggedCounter MessagesReceived { get; } = registry.Counter("iott_edge_messages_received_total", "MQTT messages received", ("input", "mqtt"));
    public TaggedCounter ReadingsProduced { get; } = registry.Counter("iott_edge_readings_total", "Readings acknowledged by the edge Kafka cluster");
    public TaggedCounter MirroredRecords { get; } = registry.Counter("iott_edge_mirrored_total", "Records copied to the cloud cluster and acknowledged by it");
    public TaggedCounter MirrorMissing { get; } = registry.Counter("iott_edge_mirror_missing_offsets_total",
        "Edge records the mirror never copied because the edge cluster had already deleted them (retention shorter than an outage)");
    public TaggedCounter MirrorRestarts { get; } = registry.Counter("iott_edge_mirror_restarts_total", "Mirror sessions restarted after a failure");
    public TaggedCounter RetainedIgnored { get; } = registry.Counter("iott_edge_mqtt_retained_ignored_total",
        "Retained MQTT messages acknowledged without ingesting them (Mqtt:Retained = Ignore)");
    public TaggedCounter DeadLettersTruncated { get; } = registry.Counter("iott_edge_dead_letters_truncated_total",
        "Dead letters whose payload was cut to fit the edge cluster's message limit");
    public TaggedCounter DeadLettersUnwritable { get; } = registry.Counter("iott_edge_dead_letters_unwritable_total",
        "Rejected messages that could not be written to the dead-letter topic at all (logged with their reason)");
    public TaggedCounter MqttReconnects { get; } = registry.Counter("iott_edge_mqtt_reconnects_total", "MQTT reconnects");

    public TaggedCounter SparkplugRebirths(string reason) =>
        Registry.Counter("iott_edge_sparkplug_rebirths_requested_total", "Sparkplug NCMD rebirth commands sent to edge nodes, by reason", ("reason", reason));

    public TaggedCounter DuplicatesSkipped(string kind) =>
        Registry.Counter("iott_edge_duplicates_skipped_total",
            "Readings (kind=reading) and dead letters (kind=dead_letter) not written again because the agent had written them already (a redelivery)", ("kind", kind));

    public TaggedCounter DeadLetters(string reason) =>
        Registry.Counter("iott_edge_dead_letters_total", "Messages sent to the dead-letter topic, by reason", ("reason", reason));
}
