namespace IotTelemetry.Mqtt;

/// <summary>A granted subscription: the SUBACK code is the granted QoS (0, 1 or 2).</summary>
public readonly record struct MqttSubscribeResult(string TopicFilter, MqttQualityOfService GrantedQos);
