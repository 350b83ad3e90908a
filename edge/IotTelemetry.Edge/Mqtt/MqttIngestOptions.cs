using IotTelemetry.Common.Configuration;
using MQTTnet;
using MQTTnet.Formatter;

namespace IotTelemetry.Edge.Mqtt;

/// <summary>
/// Section <c>Mqtt</c>: the broker connection (turned into MQTTnet's <see cref="MqttClientOptions"/>) plus what to subscribe to.
/// Readings are acknowledged to the broker only after the edge Kafka cluster acknowledged them, so the
/// session must be persistent (<c>CleanSession: false</c>) for a crash to lose nothing.
/// </summary>
public sealed class MqttIngestOptions
{
    public bool Enabled { get; set; } = true;

    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1883;
    public string ClientId { get; set; } = "";

    /// <summary>3.1.1 or 5.0.</summary>
    public string ProtocolVersion { get; set; } = "5.0";

    public string? Username { get; set; }

    /// <summary>Secret: give it through the environment (Mqtt__Password) or <see cref="PasswordFile"/>.</summary>
    public string? Password { get; set; }
    public string? PasswordFile { get; set; }

    public bool CleanSession { get; set; }

    /// <summary>How long the broker keeps the session (and queued QoS 1/2 messages) while the agent is away (MQTT 5).</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Messages the broker may send before the agent acknowledges (MQTT 5 Receive Maximum; with 3.1.1 the broker's own
    /// limit, mosquitto's max_inflight_messages, applies). Unacknowledged messages hold this window until Kafka acknowledged them.
    /// </summary>
    public int ReceiveMaximum { get; set; } = 1000;

    /// <summary>Largest packet the agent accepts, announced to MQTT 5 brokers (which then do not send larger ones).</summary>
    public int MaximumPacketSize { get; set; } = 1024 * 1024;

    /// <summary>First delay before reconnecting; it doubles per failed attempt up to <see cref="ReconnectMaxDelay"/> (20% jitter).</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public MqttTlsOptions? Tls { get; set; }

    /// <summary>
    /// What to do with retained messages (those the broker replays when the agent subscribes, after every restart):
    /// <c>Ignore</c> (default) acknowledges and counts them without ingesting; <c>WithTimestamp</c> ingests only readings that
    /// carry their own timestamp, and dead-letters the others; <c>Accept</c> ingests them like live messages.
    /// </summary>
    public string Retained { get; set; } = "Ignore";

    /// <summary>Subscription QoS: 0, 1 or 2.</summary>
    public int Qos { get; set; } = 1;

    /// <summary>Topic filters to subscribe to; empty means the filters that cover the mapping rules' templates.</summary>
    public List<string> Subscriptions { get; set; } = [];

    public void Validate(ConfigErrors errors)
    {
        if (!Enabled) return;
        errors.RequireNotEmpty(Host, "Mqtt:Host", "the broker's host name or address");
        errors.RequireRange(Port, 1, 65535, "Mqtt:Port");
        errors.Require(ProtocolVersion is "3.1.1" or "5.0" or "5", "Mqtt:ProtocolVersion", "3.1.1 or 5.0", ProtocolVersion);
        errors.RequireRange(Qos, 0, 2, "Mqtt:Qos");
        errors.Require(Retained is "Ignore" or "WithTimestamp" or "Accept", "Mqtt:Retained", "Ignore, WithTimestamp or Accept", Retained);
        errors.RequireRange(ReceiveMaximum, 1, 65535, "Mqtt:ReceiveMaximum");
        errors.RequirePositive(KeepAlive, "Mqtt:KeepAlive");
        errors.Require(KeepAlive.TotalSeconds <= ushort.MaxValue, "Mqtt:KeepAlive", "at most 65535 seconds", KeepAlive);
        errors.RequireRange(MaximumPacketSize, 64, 268_435_455, "Mqtt:MaximumPacketSize");
        errors.Require(SessionExpiry >= TimeSpan.Zero && SessionExpiry.TotalSeconds <= uint.MaxValue, "Mqtt:SessionExpiry",
            $"a duration from 0 to {uint.MaxValue} seconds", SessionExpiry);
        if (!CleanSession && ProtocolVersion != "3.1.1")
            errors.Require(SessionExpiry > TimeSpan.Zero, "Mqtt:SessionExpiry",
                "a positive duration when Mqtt:CleanSession is false with MQTT 5 (otherwise the session ends with the connection)", SessionExpiry);
        errors.RequirePositive(ReconnectMinDelay, "Mqtt:ReconnectMinDelay");
        errors.Require(ReconnectMaxDelay >= ReconnectMinDelay, "Mqtt:ReconnectMaxDelay", "at least Mqtt:ReconnectMinDelay", ReconnectMaxDelay);
        if (ProtocolVersion == "3.1.1" && Username is null)
            errors.Require(Password is null && PasswordFile is null, "Mqtt:Username", "a user name when a password is set with MQTT 3.1.1", "none");
        if (PasswordFile is not null) errors.Require(File.Exists(PasswordFile), "Mqtt:PasswordFile", "a readable file holding the password", PasswordFile);
        if (Tls is { } tls)
        {
            if (tls.CaFile is { } ca) errors.Require(File.Exists(ca), "Mqtt:Tls:CaFile", "an existing PEM file", ca);
            errors.Require((tls.ClientCertificateFile is null) == (tls.ClientKeyFile is null), "Mqtt:Tls:ClientCertificateFile",
                "to be set together with Mqtt:Tls:ClientKeyFile", "only one of them");
            if (tls.ClientCertificateFile is { } cert) errors.Require(File.Exists(cert), "Mqtt:Tls:ClientCertificateFile", "an existing PEM file", cert);
            if (tls.ClientKeyFile is { } key && !File.Exists(key)) errors.AddSecret("Mqtt:Tls:ClientKeyFile", "an existing PEM file (the path given does not exist)");
        }
    }

    /// <summary>The client id: <see cref="ClientId"/>, or one named after <paramref name="site"/>.</summary>
    public string ClientIdFor(string site) => string.IsNullOrEmpty(ClientId) ? "iott-edge-" + site : ClientId;

    /// <summary>
    /// MQTTnet's options for this agent (<paramref name="site"/> names the client id when none is set).
    /// <paramref name="certificateRejected"/> hears why a broker certificate was refused.
    /// </summary>
    public MqttClientOptions ToClientOptions(string site, ConfigErrors errors, Action<string> certificateRejected)
    {
        var v5 = ProtocolVersion != "3.1.1";
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(Host, Port)
            .WithClientId(ClientIdFor(site))
            .WithProtocolVersion(v5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311)
            .WithCleanSession(CleanSession)
            .WithKeepAlivePeriod(KeepAlive)
            .WithTimeout(ConnectTimeout);
        if (v5)
        {
            // MQTT 5 only: MQTTnet refuses these properties on a 3.1.1 connection.
            builder.WithSessionExpiryInterval((uint)SessionExpiry.TotalSeconds)
                .WithReceiveMaximum((ushort)ReceiveMaximum)
                .WithMaximumPacketSize((uint)MaximumPacketSize);
        }
        var password = Secrets.Resolve(Password, PasswordFile, "Mqtt:PasswordFile", errors);
        if (Username is not null || password is not null) builder.WithCredentials(Username ?? "", password);
        if (Tls is { } tls) builder.WithTlsOptions(BrokerCertificate.TlsOptions(tls, Host, certificateRejected));
        return builder.Build();
    }

    /// <summary>Time for TCP connect, TLS handshake and CONNACK together, and for a SUBACK.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
}
