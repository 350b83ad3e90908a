namespace IotTelemetry.Mqtt;

/// <summary>The broker refused a subscription (SUBACK failure code).</summary>
public sealed class MqttSubscribeException(string message, string topicFilter, byte reasonCode)
    : MqttException(message, isTransient: false)
{
    public string TopicFilter { get; } = topicFilter;
    public byte ReasonCode { get; } = reasonCode;
}
