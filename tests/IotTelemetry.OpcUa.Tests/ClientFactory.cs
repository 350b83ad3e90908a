using IotTelemetry.TestKit;

namespace IotTelemetry.OpcUa.Tests;

/// <summary>Options for a client against a test server, each with its own PKI folder.</summary>
internal static class ClientFactory
{
    /// <summary>All client PKI folders of this test run, removed when the test process exits.</summary>
    private static readonly string Root = CreateRoot();

    private static string CreateRoot()
    {
        var root = RepoPaths.NewTempDirectory("opcua-clients");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        return root;
    }

    /// <summary>A fresh folder under this run's root.</summary>
    public static string NewDirectory()
    {
        var path = Path.Combine(Root, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    public static OpcUaClientOptions Options(string endpointUrl, params OpcUaWatchedNode[] nodes) => Options(endpointUrl, null, nodes);

    public static OpcUaClientOptions Options(string endpointUrl, TimeSpan? keepAlive, params OpcUaWatchedNode[] nodes)
    {
        var pki = NewDirectory();
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
