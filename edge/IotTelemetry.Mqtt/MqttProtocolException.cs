namespace IotTelemetry.Mqtt;

/// <summary>The peer sent bytes that break the MQTT protocol; the connection is dropped.</summary>
public sealed class MqttProtocolException(string message) : MqttException(message, isTransient: true);
