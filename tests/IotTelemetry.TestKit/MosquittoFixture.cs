using Xunit;

namespace IotTelemetry.TestKit;

/// <summary>
/// One mosquitto (default options: anonymous, no persistence) shared by the tests of a class
/// (<c>IClassFixture&lt;MosquittoFixture&gt;</c>). xUnit runs a class's tests one after the other, so what they could
/// leave behind is broker state, not traffic: a test that shares it uses its own client ids and its own retained topics
/// (<see cref="Unique"/>), and never stops, restarts or reconfigures the broker (such tests start their own).
/// </summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    private int _next;

    public MosquittoBroker Broker { get; private set; } = null!;

    /// <summary><paramref name="prefix"/> with a suffix no other test of this fixture gets: a client id, a host id, a topic level.</summary>
    public string Unique(string prefix) => $"{prefix}-{Interlocked.Increment(ref _next)}";

    public async Task InitializeAsync() => Broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}
