using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.OpcUa.Tests;

/// <summary>One node-opcua server for a test class: None, Basic256Sha256, Aes128_Sha256_RsaOaep and Aes256_Sha256_RsaPss (Sign, SignAndEncrypt), anonymous and alice/secret.</summary>
public sealed class OpcUaServerFixture : IAsyncLifetime
{
    public const string User = "alice";
    public const string Password = "s3cret-Pa55";

    private OpcUaTestServer? _server;

    public OpcUaTestServer Server => _server ?? throw new InvalidOperationException("the server did not start");

    public async Task InitializeAsync() => _server = await OpcUaTestServer.StartAsync("--policies", "None,Basic256Sha256,Aes128_Sha256_RsaOaep,Aes256_Sha256_RsaPss", "--users", $"{User}:{Password}", "--interval", "100");

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
