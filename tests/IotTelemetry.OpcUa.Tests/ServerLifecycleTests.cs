using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.OpcUa.Tests;

public sealed class ServerLifecycleTests(UnsecuredServerFixture fixture) : IClassFixture<UnsecuredServerFixture>
{
    [Fact]
    public async Task A_server_restart_mid_stream_is_survived_and_the_gap_is_counted()
    {
        var log = new ListLogger();
        await using var client = new OpcUaClient(ClientFactory.Options(fixture.Server.EndpointUrl, ClientFactory.Node("ns=1;i=1001", "speed")), log);
        await client.StartAsync(CancellationToken.None);
        await ClientFactory.NextAsync(client, c => c.Value > 0, "a speed before the restart");

        await fixture.Server.StopAsync();
        var stoppedAt = DateTime.UtcNow;
        await Wait.UntilAsync(() => !client.IsConnected, "the client to notice the server is gone");
        await fixture.Server.RestartAsync();

        var after = await ClientFactory.NextAsync(client, c => c.SourceTimestamp > stoppedAt && c.Quality == OpcUaQuality.Good,
            "a speed from the restarted server", TimeSpan.FromSeconds(30));
        Assert.True(after.Value < 100, $"the restarted server counts from 0 again: {after.Value}");
        Assert.True(client.IsConnected);
        Assert.Equal(1, client.Statistics.Reconnects);
        Assert.True(client.Statistics.LastGap > TimeSpan.Zero, $"gap measured: {client.Statistics}");
        Assert.Contains($"OPC UA {fixture.Server.EndpointUrl}: reconnected after", log.All);
        Assert.DoesNotContain("   at ", log.All); // reasons, not stack traces
    }

    [Fact]
    public async Task A_server_that_offers_only_security_the_client_refuses_fails_with_a_clear_error()
    {
        var o = ClientFactory.Options(fixture.Server.EndpointUrl, ClientFactory.Node("ns=1;i=1001"));
        var options = new OpcUaClientOptions
        {
            EndpointUrl = o.EndpointUrl, Nodes = o.Nodes, ClientCertificatePath = o.ClientCertificatePath, TrustListDirectory = o.TrustListDirectory,
            SecurityPolicy = OpcUaSecurityPolicy.Basic256Sha256, SecurityMode = OpcUaSecurityMode.SignAndEncrypt,
        };
        await using var client = new OpcUaClient(options);
        var e = await Assert.ThrowsAsync<OpcUaException>(() => client.StartAsync(CancellationToken.None));

        Assert.False(e.IsTransient);
        Assert.Equal("BadSecurityPolicyRejected", e.StatusName);
        Assert.Contains("Basic256Sha256/SignAndEncrypt", e.Message);
        Assert.Contains("None/None", e.Message);
        Assert.StartsWith(fixture.Server.EndpointUrl, e.Message);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Invalid_options_are_refused_before_connecting()
    {
        var options = new OpcUaClientOptions
        {
            EndpointUrl = "http://not-opc", SecurityPolicy = OpcUaSecurityPolicy.Basic256Sha256, Nodes = [ClientFactory.Node("ns=1;q=1")],
        };
        await using var client = new OpcUaClient(options);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => client.StartAsync(CancellationToken.None));
        Assert.Contains("EndpointUrl", e.Message);
        Assert.Contains("SecurityMode", e.Message);
        Assert.Contains("ns=1;q=1", e.Message);
    }

    [Fact]
    public async Task Two_clients_run_independently_and_stopping_one_leaves_the_other_running()
    {
        await using var first = new OpcUaClient(ClientFactory.Options(fixture.Server.EndpointUrl, ClientFactory.Node("ns=1;i=1001", "a")));
        await using var second = new OpcUaClient(ClientFactory.Options(fixture.Server.EndpointUrl, ClientFactory.Node("ns=1;s=Pump1.Temperature", "b")));
        await first.StartAsync(CancellationToken.None);
        await second.StartAsync(CancellationToken.None);
        await ClientFactory.NextAsync(first, c => c.Node.Sensor == "a", "first client data");
        await ClientFactory.NextAsync(second, c => c.Node.Sensor == "b", "second client data");

        await first.StopAsync(CancellationToken.None);
        var before = second.Statistics.DataChanges;
        await Wait.UntilAsync(() => second.Statistics.DataChanges > before + 2, "the second client to keep receiving");
        Assert.False(first.IsConnected);
    }

    [Fact]
    public async Task A_client_started_while_the_server_is_down_connects_when_it_comes_up()
    {
        await fixture.Server.StopAsync();
        await using var client = new OpcUaClient(ClientFactory.Options(fixture.Server.EndpointUrl, ClientFactory.Node("ns=1;i=1001", "speed")));
        try
        {
            await client.StartAsync(CancellationToken.None); // unreachable is transient: no exception, retries in the background
            Assert.False(client.IsConnected);
        }
        finally
        {
            await fixture.Server.RestartAsync();
        }
        var change = await ClientFactory.NextAsync(client, c => c.Value is not null, "a value once the server is up", TimeSpan.FromSeconds(30));
        Assert.Equal(OpcUaQuality.Good, change.Quality);
        Assert.Equal(1, client.Statistics.Reconnects);
    }

    [Fact]
    public async Task Two_thousand_monitored_items_all_report_and_a_browse_path_through_a_large_folder_resolves()
    {
        // The first publish response carries 2000 values (several chunks); browsing /Objects/Bulk returns 2000 references.
        var nodes = Enumerable.Range(0, 2000).Select(i => ClientFactory.Node($"ns=1;s=Bulk.{i:D4}", "b" + i, 100)).ToList();
        nodes.Add(ClientFactory.Node("/Objects/Bulk/B1999", "by-path", 100));
        await using var client = new OpcUaClient(ClientFactory.Options(fixture.Server.EndpointUrl, [.. nodes]));
        await client.StartAsync(CancellationToken.None);

        var seen = new HashSet<string>();
        OpcUaDataChange? byPath = null;
        await Wait.ForAsync(Task.Run(async () =>
        {
            while (seen.Count < 2001)
            {
                var change = await client.DataChanges.ReadAsync();
                if (change.Value is null) throw new InvalidOperationException($"unexpected {change}");
                seen.Add(change.Node.Sensor);
                if (change.Node.Sensor == "by-path") byPath = change;
            }
        }), "a value from each of 2001 monitored items");
        Assert.Equal("ns=1;s=Bulk.1999", byPath!.ResolvedNodeId);
        Assert.True(client.CurrentChannel!.IntermediateChunksReceived > 0, "some responses came in several chunks");
        Assert.Equal(0, client.Statistics.Reconnects);
    }
}
