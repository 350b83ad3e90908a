using Xunit;

namespace IotTelemetry.OpcUa.Tests;

public sealed class SubscriptionTests(OpcUaServerFixture fixture) : IClassFixture<OpcUaServerFixture>
{
    private string Endpoint => fixture.Server.EndpointUrl;

    [Fact]
    public async Task Anonymous_client_receives_changing_values_with_timestamps_and_good_quality()
    {
        await using var client = new OpcUaClient(ClientFactory.Options(Endpoint, ClientFactory.Node("ns=1;s=Pump1.Temperature")));
        await client.StartAsync(CancellationToken.None);

        var first = await ClientFactory.NextAsync(client, c => c.Value is not null, "a first temperature");
        var later = await ClientFactory.NextAsync(client, c => c.Value is not null && c.Value != first.Value, "a changed temperature");

        Assert.Equal(OpcUaQuality.Good, later.Quality);
        Assert.Equal("Good", later.StatusName);
        Assert.InRange(later.Value!.Value, 20, 30);
        Assert.NotNull(later.SourceTimestamp);
        Assert.NotNull(later.ServerTimestamp);
        Assert.InRange(later.SourceTimestamp!.Value, DateTime.UtcNow.AddSeconds(-10), DateTime.UtcNow.AddSeconds(1));
        Assert.True(later.SourceTimestamp > first.SourceTimestamp, "source timestamps move forward");
        Assert.Equal("pump1", later.Node.Asset);
        Assert.Equal("°C", later.Unit);
    }
}
