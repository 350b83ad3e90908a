
using IotTelemetry.Edge.Mqtt;

namespace IotTelemetry.Edge.Tests;

/// <summary>The MQTT connection's one reconnect policy: failed attempts and short-lived connections count alike.</summary>
public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(250), Max = TimeSpan.FromSeconds(30);

    /// <summary>Jitter makes a pause up to 20% shorter than its nominal value, never longer.</summary>
    private static void AssertAbout(double nominalMs, TimeSpan pause) =>
        Assert.InRange(pause.TotalMilliseconds, nominalMs * 0.8, nominalMs);

    [Fact]
    public void Failed_attempts_double_the_pause_up_to_the_maximum()
    {
        var backoff = new ReconnectBackoff(Min, Max, new Random(1));
        foreach (var nominal in new double[] { 250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000 }) AssertAbout(nominal, backoff.NextPause());
    }

    [Fact]
    public void A_connection_the_broker_ends_soon_after_its_connack_does_not_reset_the_pause_to_the_minimum()
    {
        var backoff = new ReconnectBackoff(Min, Max, new Random(2));
        for (var i = 0; i < 5; i++)
        {
            backoff.NextPause();
            backoff.ConnectionEnded(TimeSpan.FromMilliseconds(50)); // kicked out at once, e.g. by a second client with our client id
        }
        AssertAbout(8000, backoff.NextPause());
    }

    [Fact]
    public void A_connection_that_stayed_up_for_the_maximum_delay_starts_again_at_the_minimum()
    {
        var backoff = new ReconnectBackoff(Min, Max, new Random(3));
        for (var i = 0; i < 5; i++) backoff.NextPause();
        backoff.ConnectionEnded(Max);
        AssertAbout(250, backoff.NextPause());
        AssertAbout(500, backoff.NextPause());
    }
}
