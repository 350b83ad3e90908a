using System.Text;

namespace IotTelemetry.Mqtt;

/// <summary>Checks <see cref="MqttClientOptions"/> before a connection is tried; each message names the option and what was expected.</summary>
public static class MqttClientOptionsValidator
{
    public const string Section = "Mqtt";

    /// <summary>All problems found; empty when the options are usable.</summary>
    public static IReadOnlyList<string> Validate(MqttClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        void Fail(string message) => errors.Add($"{Section}:{message}");

        if (string.IsNullOrWhiteSpace(options.Host)) Fail("Host must be a host name or IP address, got an empty value");
        if (options.Port is < 1 or > 65535) Fail($"Port must be between 1 and 65535, got {options.Port}");
        if (options.ProtocolVersion is not (MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
            Fail($"ProtocolVersion must be V311 or V500, got {options.ProtocolVersion}");
        if (Encoding.UTF8.GetByteCount(options.ClientId ?? "") > 65535) Fail("ClientId must be at most 65535 UTF-8 bytes");
        if (!options.CleanSession && string.IsNullOrEmpty(options.ClientId))
            Fail("ClientId must be set when CleanSession is false (a persistent session is found by client id), got an empty value");
        if (options.Password is not null && options.Username is null && options.ProtocolVersion == MqttProtocolVersion.V311)
            Fail("Username must be set when Password is set with MQTT 3.1.1, got no Username");
        if (options.SessionExpiry < TimeSpan.Zero || options.SessionExpiry.TotalSeconds > uint.MaxValue)
            Fail($"SessionExpiry must be between 0 and {uint.MaxValue} seconds, got {options.SessionExpiry}");
        if (!options.CleanSession && options.ProtocolVersion == MqttProtocolVersion.V500 && options.SessionExpiry == TimeSpan.Zero)
            Fail("SessionExpiry must be greater than zero when CleanSession is false with MQTT 5 (otherwise the session ends with the connection), got 00:00:00");
        if (options.KeepAlive < TimeSpan.Zero || options.KeepAlive.TotalSeconds > ushort.MaxValue)
            Fail($"KeepAlive must be between 0 and 65535 seconds, got {options.KeepAlive}");
        else if (options.KeepAlive > TimeSpan.Zero && options.KeepAlive < TimeSpan.FromSeconds(1))
            Fail($"KeepAlive must be zero (off) or at least 1 second, got {options.KeepAlive}");
        if (options.ConnectTimeout <= TimeSpan.Zero) Fail($"ConnectTimeout must be positive, got {options.ConnectTimeout}");
        if (options.OperationTimeout <= TimeSpan.Zero) Fail($"OperationTimeout must be positive, got {options.OperationTimeout}");
        if (options.MaxInFlightPublishes is < 1 or > 65000)
            Fail($"MaxInFlightPublishes must be between 1 and 65000, got {options.MaxInFlightPublishes}");
        if (options.ReceiveMaximum is < 1 or > 65535) Fail($"ReceiveMaximum must be between 1 and 65535, got {options.ReceiveMaximum}");
        if (options.ReceiveQueueCapacity < 1) Fail($"ReceiveQueueCapacity must be at least 1, got {options.ReceiveQueueCapacity}");
        if (options.MaximumPacketSize is < 64 or > 268_435_460)
            Fail($"MaximumPacketSize must be between 64 and 268435460 bytes, got {options.MaximumPacketSize}");
        if (options.ReconnectMinDelay <= TimeSpan.Zero) Fail($"ReconnectMinDelay must be positive, got {options.ReconnectMinDelay}");
        if (options.ReconnectMaxDelay < options.ReconnectMinDelay)
            Fail($"ReconnectMaxDelay must be at least ReconnectMinDelay ({options.ReconnectMinDelay}), got {options.ReconnectMaxDelay}");
        if (options.ReconnectJitter is < 0 or > 1 || double.IsNaN(options.ReconnectJitter))
            Fail($"ReconnectJitter must be between 0 and 1, got {options.ReconnectJitter}");
        if (options.Tls is { } tls)
        {
            if (tls.CaFile is not null && !File.Exists(tls.CaFile)) Fail($"Tls:CaFile must be an existing PEM file, got '{tls.CaFile}' (not found)");
            if ((tls.ClientCertificateFile is null) != (tls.ClientKeyFile is null))
                Fail("Tls:ClientCertificateFile and Tls:ClientKeyFile must be set together, got only one of them");
            if (tls.ClientCertificateFile is not null && !File.Exists(tls.ClientCertificateFile))
                Fail($"Tls:ClientCertificateFile must be an existing PEM file, got '{tls.ClientCertificateFile}' (not found)");
            if (tls.ClientKeyFile is not null && !File.Exists(tls.ClientKeyFile))
                Fail("Tls:ClientKeyFile must be an existing PEM file, got a path that does not exist");
        }
        return errors;
    }

    /// <summary>Throws <see cref="MqttException"/> listing every problem, or returns.</summary>
    public static void ThrowIfInvalid(MqttClientOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
            throw new MqttException("Invalid MQTT options: " + string.Join("; ", errors), isTransient: false);
    }
}
