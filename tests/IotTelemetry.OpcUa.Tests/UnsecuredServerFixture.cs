using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.OpcUa.Tests;

/// <summary>A node-opcua server that offers only SecurityPolicy None, with 2000 bulk variables, for restart, refused-security and size tests.</summary>
public sealed class UnsecuredServerFixture : IAsyncLifetime
{
    private OpcUaTestServer? _server;

    public OpcUaTestServer Server => _server ?? throw new InvalidOperationException("the server did not start");

    public async Task InitializeAsync() => _server = await OpcUaTestServer.StartAsync(
        "--policies", "None", "--modes", "None", "--interval", "100", "--bulk", "2000", "--bulk-interval", "1000");

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
