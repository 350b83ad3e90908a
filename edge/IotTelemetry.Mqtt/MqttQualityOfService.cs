namespace IotTelemetry.Mqtt;

/// <summary>MQTT delivery guarantee of one message or subscription.</summary>
public enum MqttQualityOfService
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
    ExactlyOnce = 2,
}
