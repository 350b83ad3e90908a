using Confluent.Kafka;
using IotTelemetry.Common.Configuration;

namespace IotTelemetry.Common.Kafka;

/// <summary>
/// One Kafka cluster as this process uses it: where it is, how to authenticate, and clients built for it.
/// For an <c>embedded</c> cluster the process hosts librdkafka's mock cluster and creates the topics it needs.
/// </summary>
public sealed class KafkaCluster : IDisposable
{
    private readonly KafkaClusterOptions _options;
    private readonly string? _saslPassword;
    private readonly string? _sslKeyPassword;
    private MockCluster? _mock;

    private KafkaCluster(string name, KafkaClusterOptions options, MockCluster? mock, string? saslPassword, string? sslKeyPassword)
    {
        Name = name;
        _options = options;
        _mock = mock;
        _saslPassword = saslPassword;
        _sslKeyPassword = sslKeyPassword;
        BootstrapServers = mock?.BootstrapServers ?? options.BootstrapServers;
    }

    /// <summary>Edge or Cloud: used in log lines and client ids.</summary>
    public string Name { get; }

    public string BootstrapServers { get; }

    public bool IsEmbedded => _mock is not null;

    /// <summary>The mock cluster when embedded (tests use it to take brokers down), otherwise null.</summary>
    public MockCluster? Mock => _mock;

    /// <summary>
    /// Resolves <paramref name="options"/> (already validated). An embedded cluster is started here and
    /// <paramref name="topics"/> are created on it with <see cref="KafkaClusterOptions.EmbeddedPartitions"/> partitions.
    /// </summary>
    public static KafkaCluster Open(string name, KafkaClusterOptions options, IEnumerable<string> topics)
    {
        var errors = new ConfigErrors();
        var section = "Kafka:" + name;
        var sasl = Secrets.Resolve(options.SaslPassword, options.SaslPasswordFile, section + ":SaslPasswordFile", errors);
        var keyPassword = Secrets.Resolve(options.SslKeyPassword, options.SslKeyPasswordFile, section + ":SslKeyPasswordFile", errors);
        errors.ThrowIfAny();
        MockCluster? mock = null;
        if (options.IsEmbedded)
        {
            mock = new MockCluster();
            foreach (var topic in topics.Distinct()) mock.CreateTopic(topic, options.EmbeddedPartitions);
        }
        return new KafkaCluster(name, options, mock, sasl, keyPassword);
    }

    /// <summary>Wraps an existing cluster address (tests that host their own mock cluster).</summary>
    public static KafkaCluster Connect(string name, string bootstrapServers) =>
        Open(name, new KafkaClusterOptions { BootstrapServers = bootstrapServers }, []);

    /// <summary>Settings shared by every client of this cluster: address, security, passthrough properties.</summary>
    public void ApplyTo(ClientConfig config, string clientId)
    {
        config.BootstrapServers = BootstrapServers;
        config.ClientId = clientId;
        config.ReconnectBackoffMaxMs = 2000; // come back quickly after an outage; override through Properties

        config.SecurityProtocol = Enum.Parse<SecurityProtocol>(_options.SecurityProtocol, ignoreCase: true);
        if (_options.SaslMechanism is { } mechanism)
        {
            config.SaslMechanism = mechanism.ToUpperInvariant() switch
            {
                "PLAIN" => Confluent.Kafka.SaslMechanism.Plain,
                "SCRAM-SHA-256" => Confluent.Kafka.SaslMechanism.ScramSha256,
                "SCRAM-SHA-512" => Confluent.Kafka.SaslMechanism.ScramSha512,
                _ => throw new ConfigurationException([$"Kafka:{Name}:SaslMechanism: expected PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got '{mechanism}'"]),
            };
            config.SaslUsername = _options.SaslUsername;
            config.SaslPassword = _saslPassword;
        }
        if (_options.SslCaLocation is not null) config.SslCaLocation = _options.SslCaLocation;
        if (_options.SslCertificateLocation is not null) config.SslCertificateLocation = _options.SslCertificateLocation;
        if (_options.SslKeyLocation is not null) config.SslKeyLocation = _options.SslKeyLocation;
        if (_sslKeyPassword is not null) config.SslKeyPassword = _sslKeyPassword;
        foreach (var (key, value) in _options.Properties) config.Set(key, value);
    }

    /// <summary>The largest record this process produces to the cluster (<c>MessageMaxBytes</c>).</summary>
    public int MessageMaxBytes => _options.MessageMaxBytes;

    /// <summary>An idempotent producer with acks=all: what every durable write in the pipeline uses.</summary>
    public ProducerConfig ProducerConfig(string clientId)
    {
        var config = new ProducerConfig
        {
            Acks = Acks.All,
            EnableIdempotence = true,
            MaxInFlight = 5,
            LingerMs = _options.LingerMs,
            MessageSendMaxRetries = int.MaxValue,
            MessageTimeoutMs = 0, // never give up on a message: outages are ridden out, not turned into loss
            QueueBufferingMaxMessages = 1_000_000,
            // librdkafka's 1 GiB default lets a slow or absent cluster take the process's memory; at least two records fit.
            QueueBufferingMaxKbytes = Math.Max(_options.ProducerQueueKbytes, _options.MessageMaxBytes / 1024 * 2),
            MessageMaxBytes = _options.MessageMaxBytes,
            // A delivery report carries the error, partition and offset; no caller reads the record back from it, and
            // copying key, value, headers and timestamp into managed objects for each report was the agent's largest
            // source of garbage (a third of its allocations at 20,000 readings/s, dotnet-trace gc-verbose).
            DeliveryReportFields = "none",
        };
        ApplyTo(config, clientId);
        return config;
    }

    /// <summary>A consumer that commits only what the caller says is durable.</summary>
    public ConsumerConfig ConsumerConfig(string groupId, string clientId)
    {
        var config = new ConsumerConfig
        {
            GroupId = groupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadUncommitted,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 1500,
            MaxPollIntervalMs = 300_000,
            EnablePartitionEof = false,
            // Bounds on what librdkafka fetches ahead of the application (its defaults: 64 MiB queued, 50 MB per fetch,
            // 1 MiB per partition), overshot by one fetch: with dozens of partitions those defaults cost tens of MiB per consumer.
            QueuedMaxMessagesKbytes = _options.ConsumerQueueKbytes,
            FetchMaxBytes = _options.FetchMaxBytes,
            MaxPartitionFetchBytes = _options.PartitionFetchBytes,
            FetchQueueBackoffMs = _options.FetchQueueBackoffMs,
        };
        ApplyTo(config, clientId);
        return config;
    }

    /// <summary>Closes the embedded cluster, if any. Call after every client of it is disposed.</summary>
    public void Dispose()
    {
        _mock?.Dispose();
        _mock = null;
    }

    public override string ToString() =>
        $"{Name} Kafka at {BootstrapServers}{(IsEmbedded ? " (embedded mock cluster, not durable)" : "")}, security {_options.SecurityProtocol} ({KafkaLibrary.Description})";
}
