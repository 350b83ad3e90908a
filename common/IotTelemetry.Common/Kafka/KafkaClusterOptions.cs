using IotTelemetry.Common.Configuration;

namespace IotTelemetry.Common.Kafka;

/// <summary>
/// How to reach one Kafka cluster (configuration section <c>Kafka:Edge</c> or <c>Kafka:Cloud</c>).
/// <c>BootstrapServers = "embedded"</c> starts librdkafka's in-memory mock cluster inside the process:
/// a development and demo default that is not durable.
/// </summary>
public sealed class KafkaClusterOptions
{
    public const string Embedded = "embedded";

    /// <summary>host:port[,host:port...], or <c>embedded</c>.</summary>
    public string BootstrapServers { get; set; } = Embedded;

    /// <summary>Plaintext, Ssl, SaslPlaintext or SaslSsl.</summary>
    public string SecurityProtocol { get; set; } = "Plaintext";

    /// <summary>PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (with a Sasl* security protocol).</summary>
    public string? SaslMechanism { get; set; }

    public string? SaslUsername { get; set; }

    /// <summary>Secret: set it through the environment (Kafka__Edge__SaslPassword) or use <see cref="SaslPasswordFile"/>.</summary>
    public string? SaslPassword { get; set; }

    public string? SaslPasswordFile { get; set; }

    /// <summary>PEM file of the CA that signed the brokers' certificates.</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>Client certificate (PEM) for mutual TLS.</summary>
    public string? SslCertificateLocation { get; set; }

    public string? SslKeyLocation { get; set; }

    public string? SslKeyPassword { get; set; }

    public string? SslKeyPasswordFile { get; set; }

    /// <summary>
    /// The largest record this process may produce (librdkafka <c>message.max.bytes</c>); keep it at or below the brokers'
    /// and topics' <c>max.message.bytes</c>. Bounds <c>Validation:MaxPayloadBytes</c> at the edge.
    /// </summary>
    public int MessageMaxBytes { get; set; } = 1_000_000;

    /// <summary>
    /// KiB of records each producer holds unacknowledged (librdkafka <c>queue.buffering.max.kbytes</c>; its default, 1 GiB,
    /// lets a slow or absent cluster take the process's memory). Raised to two records of <see cref="MessageMaxBytes"/> if smaller.
    /// </summary>
    public int ProducerQueueKbytes { get; set; } = 32_768;

    /// <summary>KiB of fetched records each consumer queues ahead of the application (<c>queued.max.messages.kbytes</c>; default 64 MiB).</summary>
    public int ConsumerQueueKbytes { get; set; } = 8_192;

    /// <summary>
    /// Bytes one fetch may bring (<c>fetch.max.bytes</c>; default 50 MB). The consumer queue is overshot by up to one fetch,
    /// so this, not only <see cref="ConsumerQueueKbytes"/>, bounds a consumer's memory. A larger record still comes whole.
    /// </summary>
    public int FetchMaxBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Bytes per partition in one fetch (<c>max.partition.fetch.bytes</c>; default 1 MiB). A larger record still comes whole.</summary>
    public int PartitionFetchBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Milliseconds a consumer waits before fetching again once its queue reached <see cref="ConsumerQueueKbytes"/>
    /// (librdkafka <c>fetch.queue.backoff.ms</c>, whose default is 1,000). With bounded queues the default caps a
    /// consumer that is behind at one queueful per second: the mirror copied about 13,000 records/s against 20,000/s
    /// arriving and never caught up (<c>make bench ARGS=edgemem-ours</c>, 2026-12-04); at 10 ms it caught up in 3.7 s.
    /// </summary>
    public int FetchQueueBackoffMs { get; set; } = 10;

    /// <summary>
    /// Milliseconds a producer waits to fill a batch (librdkafka <c>linger.ms</c>, whose default is 5). Every write the
    /// pipeline acknowledges upstream (an MQTT PUBACK) waits for its batch, so this adds to that latency; larger batches cost
    /// the brokers less. On librdkafka's mock cluster it also sets how fast a lagging consumer catches up: the mock answers a
    /// fetch with one batch per partition, where a real broker returns up to <see cref="PartitionFetchBytes"/>.
    /// </summary>
    public int LingerMs { get; set; } = 5;

    /// <summary>Partitions of each topic the process creates on an embedded cluster.</summary>
    public int EmbeddedPartitions { get; set; } = 6;

    /// <summary>Extra librdkafka properties passed through as they are (e.g. <c>"socket.keepalive.enable": "true"</c>).</summary>
    public Dictionary<string, string> Properties { get; set; } = [];

    public bool IsEmbedded => string.Equals(BootstrapServers, Embedded, StringComparison.OrdinalIgnoreCase);

    private static readonly string[] Protocols = ["Plaintext", "Ssl", "SaslPlaintext", "SaslSsl"];
    private static readonly string[] Mechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];

    /// <summary>Checks the options; <paramref name="section"/> is the configuration path, e.g. <c>Kafka:Edge</c>.</summary>
    public void Validate(string section, ConfigErrors errors)
    {
        if (!IsEmbedded)
        {
            var ok = !string.IsNullOrWhiteSpace(BootstrapServers) && BootstrapServers.Split(',').All(IsHostPort);
            errors.Require(ok, section + ":BootstrapServers", "host:port[,host:port...] or 'embedded'", BootstrapServers);
        }
        errors.Require(Protocols.Contains(SecurityProtocol, StringComparer.OrdinalIgnoreCase), section + ":SecurityProtocol",
            "one of " + string.Join(", ", Protocols), SecurityProtocol);
        var sasl = SecurityProtocol.StartsWith("Sasl", StringComparison.OrdinalIgnoreCase);
        if (sasl)
        {
            errors.Require(SaslMechanism is not null && Mechanisms.Contains(SaslMechanism, StringComparer.OrdinalIgnoreCase),
                section + ":SaslMechanism", "one of " + string.Join(", ", Mechanisms) + " with a Sasl* SecurityProtocol", SaslMechanism);
            errors.RequireNotEmpty(SaslUsername, section + ":SaslUsername", "a user name with a Sasl* SecurityProtocol");
            if (string.IsNullOrEmpty(Secrets.Resolve(SaslPassword, SaslPasswordFile, section + ":SaslPasswordFile", errors)))
                errors.AddSecret(section + ":SaslPassword", "a password (or SaslPasswordFile) with a Sasl* SecurityProtocol");
        }
        foreach (var (key, path) in new[] { ("SslCaLocation", SslCaLocation), ("SslCertificateLocation", SslCertificateLocation), ("SslKeyLocation", SslKeyLocation) })
            if (path is not null) errors.Require(File.Exists(path), section + ":" + key, "an existing PEM file", path);
        errors.RequireRange(EmbeddedPartitions, 1, 1000, section + ":EmbeddedPartitions");
        errors.RequireRange(MessageMaxBytes, 8192, 1_000_000_000, section + ":MessageMaxBytes");
        errors.RequireRange(LingerMs, 0, 10_000, section + ":LingerMs");
        errors.RequireRange(ProducerQueueKbytes, 1_024, 2_097_151, section + ":ProducerQueueKbytes");
        errors.RequireRange(ConsumerQueueKbytes, 1_024, 2_097_151, section + ":ConsumerQueueKbytes");
        // librdkafka refuses a consumer whose fetch.max.bytes is below its message.max.bytes (1,000,000 for consumers).
        errors.RequireRange(FetchMaxBytes, 1_000_000, 2_147_483_135, section + ":FetchMaxBytes");
        errors.RequireRange(PartitionFetchBytes, 1_024, 2_147_483_135, section + ":PartitionFetchBytes");
        errors.RequireRange(FetchQueueBackoffMs, 0, 300_000, section + ":FetchQueueBackoffMs");
    }

    private static bool IsHostPort(string s)
    {
        var i = s.Trim().LastIndexOf(':');
        return i > 0 && int.TryParse(s.Trim()[(i + 1)..], out var port) && port is > 0 and < 65536;
    }
}
