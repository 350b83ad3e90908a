namespace IotTelemetry.Mqtt;

/// <summary>Base of every error this client raises. Transient errors may go away by reconnecting.</summary>
public class MqttException : Exception
{
    public MqttException(string message, bool isTransient = true, Exception? innerException = null)
        : base(message, innerException) => IsTransient = isTransient;

    /// <summary>True when retrying later may succeed (network, broker restart); false for configuration errors.</summary>
    public bool IsTransient { get; }
}
