namespace IotTelemetry.Mqtt;

/// <summary>The broker could not be reached or refused the connection (CONNACK with a failure code).</summary>
public sealed class MqttConnectException : MqttException
{
    public MqttConnectException(string message, byte? reasonCode, bool isTransient, Exception? innerException = null)
        : base(message, isTransient, innerException) => ReasonCode = reasonCode;

    /// <summary>The CONNACK return code (3.1.1) or reason code (5.0); null when no CONNACK arrived.</summary>
    public byte? ReasonCode { get; }
}
