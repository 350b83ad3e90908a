using IotTelemetry.TestKit;

namespace IotTelemetry.OpcUa.Tests;

/// <summary>Options for a client against a test server, each with its own PKI folder.</summary>
internal static class ClientFactory
{
    public static OpcUaClientOptions Options(string endpointUrl, params OpcUaWatchedNode[] nodes) => Options(endpointUrl, null, nodes);

    public static OpcUaClientOptions Options(string endpointUrl, TimeSpan? keepAlive, params OpcUaWatchedNode[] nodes)
    {
        var pki = RepoPaths.NewTempDirectory("opcua-client-pki");
        return new OpcUaClientOptions
        {
            EndpointUrl = endpointUrl,
            Nodes = nodes,
            ClientCertificatePath = Path.Combine(pki, "own", "client.pfx"),
            TrustListDirectory = pki,
            AutoAcceptServerCertificate = true,
            RequestTimeout = TimeSpan.FromSeconds(10),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            KeepAliveInterval = keepAlive ?? TimeSpan.FromSeconds(5),
        };
    }

    public static OpcUaWatchedNode Node(string node, string sensor = "temperature", int samplingMs = 50) =>
        new(node, "plant1", "pump1", sensor) { SamplingInterval = TimeSpan.FromMilliseconds(samplingMs) };

    /// <summary>Reads data changes until one matches, failing after the deadline.</summary>
    public static async Task<OpcUaDataChange> NextAsync(OpcUaClient client, Func<OpcUaDataChange, bool> match, string what,
        TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var change = await client.DataChanges.ReadAsync(cts.Token);
                if (match(change)) return change;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out waiting for a data change: {what}. Statistics: {client.Statistics}");
        }
    }
}
