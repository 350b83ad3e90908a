namespace IotTelemetry.TestKit;

/// <summary>How <see cref="MosquittoBroker"/> configures mosquitto.</summary>
public sealed class MosquittoOptions
{
    /// <summary>Keep sessions and queued messages on disk across <see cref="MosquittoBroker.RestartAsync"/>.</summary>
    public bool Persistence { get; set; }

    /// <summary>When set, anonymous clients are refused and these user name/password pairs are accepted.</summary>
    public IReadOnlyDictionary<string, string>? Users { get; set; }

    /// <summary>When set, a second (TLS) listener on <see cref="MosquittoBroker.TlsPort"/> uses these certificates.</summary>
    public TestCertificates? Tls { get; set; }

    /// <summary>TLS clients must present a certificate signed by the test CA.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>mosquitto max_inflight_messages: unacknowledged QoS 1/2 messages per client (mosquitto's default is 20).</summary>
    public int MaxInflightMessages { get; set; } = 20;

    /// <summary>mosquitto max_queued_messages per client beyond the in-flight ones (0 = unlimited; mosquitto's default is 1000).</summary>
    public int MaxQueuedMessages { get; set; } = 100_000;

    /// <summary>When set, written as mosquitto's acl_file (e.g. "topic readwrite allowed/#" for anonymous clients).</summary>
    public IList<string>? AclRules { get; set; }

    /// <summary>Extra lines appended to mosquitto.conf.</summary>
    public IList<string> ExtraConfig { get; } = [];
}
