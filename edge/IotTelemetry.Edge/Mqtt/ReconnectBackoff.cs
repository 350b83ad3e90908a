namespace IotTelemetry.Edge.Mqtt;

/// <summary>
/// The one reconnect policy of the MQTT connection: the pause before the next attempt is
/// <c>Mqtt:ReconnectMinDelay</c> · 2^n, capped at <c>Mqtt:ReconnectMaxDelay</c>, up to 20% shorter at random (so that many
/// agents do not reconnect in step), where n counts the attempts since the last connection that stayed up for at least
/// <c>Mqtt:ReconnectMaxDelay</c>. An attempt that fails and a connection the broker ends soon after its CONNACK (a second
/// client with the same client id, an ACL that disconnects) count alike: neither makes the agent reconnect at the
/// minimum delay forever.
/// </summary>
/// <remarks>
/// Written here rather than with Polly: the loop it paces is "connect, then wait, for hours, until the connection ends",
/// which a retry strategy around one call does not model, and the whole policy is these few lines.
/// </remarks>
public sealed class ReconnectBackoff(TimeSpan minDelay, TimeSpan maxDelay, Random? jitter = null)
{
    private readonly Random _jitter = jitter ?? new Random();
    private int _attempts;

    /// <summary>The pause before the next connection attempt; each call counts one attempt.</summary>
    public TimeSpan NextPause()
    {
        var ms = Math.Min(maxDelay.TotalMilliseconds, minDelay.TotalMilliseconds * Math.Pow(2, Math.Min(_attempts++, 30)));
        return TimeSpan.FromMilliseconds(Math.Max(1, ms * (1 - 0.2 * _jitter.NextDouble())));
    }

    /// <summary>A connection ended after <paramref name="lasted"/>: one that stayed up long enough starts the count again.</summary>
    public void ConnectionEnded(TimeSpan lasted)
    {
        if (lasted >= maxDelay) _attempts = 0;
    }
}
