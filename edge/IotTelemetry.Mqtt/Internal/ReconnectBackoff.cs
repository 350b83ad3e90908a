namespace IotTelemetry.Mqtt.Internal;

/// <summary>Exponential reconnect delay: min * 2^attempt, capped at max, with part of it randomised.</summary>
internal static class ReconnectBackoff
{
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max, double jitter, Random random)
    {
        var exponent = Math.Min(attempt, 30);
        var ms = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, exponent));
        ms *= 1 - jitter * random.NextDouble();
        return TimeSpan.FromMilliseconds(Math.Max(ms, 1));
    }
}
