using IotTelemetry.Mqtt.Internal;
using Xunit;

namespace IotTelemetry.Mqtt.Tests;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    [Fact]
    public void Delay_doubles_per_attempt_until_the_cap()
    {
        var random = new Random(1);
        Assert.Equal(TimeSpan.FromMilliseconds(100), ReconnectBackoff.Delay(0, Min, Max, 0, random));
        Assert.Equal(TimeSpan.FromMilliseconds(200), ReconnectBackoff.Delay(1, Min, Max, 0, random));
        Assert.Equal(TimeSpan.FromMilliseconds(1600), ReconnectBackoff.Delay(4, Min, Max, 0, random));
        Assert.Equal(Max, ReconnectBackoff.Delay(6, Min, Max, 0, random));
        Assert.Equal(Max, ReconnectBackoff.Delay(10_000, Min, Max, 0, random));
    }

    [Fact]
    public void Jitter_shortens_delays_by_at_most_its_fraction_and_varies_them()
    {
        var random = new Random(2);
        var seen = new HashSet<TimeSpan>();
        for (var i = 0; i < 100; i++)
        {
            var delay = ReconnectBackoff.Delay(3, Min, Max, 0.5, random);
            Assert.InRange(delay, TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800));
            seen.Add(delay);
        }
        Assert.True(seen.Count > 50, $"expected varied delays, got {seen.Count} distinct values");
    }
}
