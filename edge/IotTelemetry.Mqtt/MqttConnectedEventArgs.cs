namespace IotTelemetry.Mqtt;

/// <summary>Raised after every successful CONNACK, the first connect and each reconnect.</summary>
public sealed class MqttConnectedEventArgs(bool sessionPresent, bool isReconnect) : EventArgs
{
    /// <summary>The broker resumed a stored session (subscriptions and queued messages kept).</summary>
    public bool SessionPresent { get; } = sessionPresent;

    public bool IsReconnect { get; } = isReconnect;
}
