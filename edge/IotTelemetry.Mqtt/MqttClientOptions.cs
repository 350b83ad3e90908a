namespace IotTelemetry.Mqtt;

/// <summary>
/// Everything <see cref="MqttClient"/> needs; bind it from the "Mqtt" configuration section and check it
/// with <see cref="MqttClientOptionsValidator"/> (the client does so before connecting).
/// </summary>
public sealed class MqttClientOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1883;

    /// <summary>Required for persistent sessions; may be empty with a clean session (the broker assigns one).</summary>
    public string ClientId { get; set; } = "";

    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V500;
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>3.1.1 clean session / 5.0 clean start. False keeps subscriptions and unacknowledged messages across connections.</summary>
    public bool CleanSession { get; set; } = true;

    /// <summary>MQTT 5 session expiry after a disconnect; zero ends the session with the connection. Ignored for 3.1.1.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.Zero;

    /// <summary>PINGREQ interval when nothing else is sent; zero disables keep-alive. At most 65535 s.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time for TCP connect, TLS handshake and CONNACK together.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long SUBSCRIBE/UNSUBSCRIBE wait for their acknowledgement.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// QoS 1/2 publishes awaiting PUBACK/PUBCOMP at once (also capped by the broker's MQTT 5 Receive Maximum).
    /// With MQTT 3.1.1 and QoS 2 keep it at or below the broker's limit (mosquitto max_inflight_messages, 20 by
    /// default): mosquitto 2.0.11 acknowledges but silently drops 3.1.1 QoS 2 publishes beyond it.
    /// </summary>
    public int MaxInFlightPublishes { get; set; } = 100;

    /// <summary>MQTT 5 Receive Maximum sent to the broker: unacknowledged QoS 1/2 messages it may send us.</summary>
    public int ReceiveMaximum { get; set; } = 1000;

    /// <summary>Received messages buffered for the application; the socket is not read while it is full.</summary>
    public int ReceiveQueueCapacity { get; set; } = 1000;

    /// <summary>Largest packet sent or accepted, whole packet in bytes (announced to MQTT 5 brokers).</summary>
    public int MaximumPacketSize { get; set; } = 1024 * 1024;

    /// <summary>First delay before reconnecting; it doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fraction (0..1) of each reconnect delay that is randomised so that many clients do not reconnect in step.</summary>
    public double ReconnectJitter { get; set; } = 0.2;

    /// <summary>Null for plain TCP.</summary>
    public MqttTlsOptions? Tls { get; set; }
}
