namespace IotTelemetry.Common.Readings;

/// <summary>The identity of one sensor: <c>site/asset/sensor</c>. Also the Kafka message key.</summary>
public static class SensorKey
{
    public static string Of(string site, string asset, string sensor) => string.Concat(site, "/", asset, "/", sensor);
}
