namespace IotTelemetry.Mqtt;

/// <summary>Raised once per lost connection, with why it was lost.</summary>
public sealed class MqttDisconnectedEventArgs(string reason, byte? reasonCode, Exception? exception) : EventArgs
{
    /// <summary>Human-readable cause, e.g. "broker closed the connection" or a DISCONNECT reason.</summary>
    public string Reason { get; } = reason;

    /// <summary>The MQTT 5 DISCONNECT reason code when the broker sent one.</summary>
    public byte? ReasonCode { get; } = reasonCode;

    public Exception? Exception { get; } = exception;
}
