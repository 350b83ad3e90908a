using IotTelemetry.Common.Configuration;
using IotTelemetry.Mqtt;

namespace IotTelemetry.Edge.Ingest;

/// <summary>
/// Section <c>Mqtt</c>: the broker connection (every <see cref="MqttClientOptions"/> property) plus what to subscribe to.
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

    /// <summary>Messages the broker may send before the agent acknowledges (MQTT 5 receive maximum).</summary>
    public int ReceiveMaximum { get; set; } = 1000;

    public int MaximumPacketSize { get; set; } = 1024 * 1024;

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
        if (PasswordFile is not null) errors.Require(File.Exists(PasswordFile), "Mqtt:PasswordFile", "a readable file holding the password", PasswordFile);
        if (Tls?.CaFile is { } ca) errors.Require(File.Exists(ca), "Mqtt:Tls:CaFile", "an existing PEM file", ca);
    }

    /// <summary>The client options for this agent (<paramref name="site"/> names the client id when none is set).</summary>
    public MqttClientOptions ToClientOptions(string site, ConfigErrors errors) => new()
    {
        Host = Host,
        Port = Port,
        ClientId = string.IsNullOrEmpty(ClientId) ? "iott-edge-" + site : ClientId,
        ProtocolVersion = ProtocolVersion == "3.1.1" ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500,
        Username = Username,
        Password = Secrets.Resolve(Password, PasswordFile, "Mqtt:PasswordFile", errors),
        CleanSession = CleanSession,
        SessionExpiry = SessionExpiry,
        KeepAlive = KeepAlive,
        ReceiveMaximum = ReceiveMaximum,
        ReceiveQueueCapacity = ReceiveMaximum,
        MaximumPacketSize = MaximumPacketSize,
        ReconnectMinDelay = ReconnectMinDelay,
        ReconnectMaxDelay = ReconnectMaxDelay,
        Tls = Tls,
    };
}
