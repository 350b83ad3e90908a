using System.Text.Json;
using IotTelemetry.Common.Configuration;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Metrics;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Validation;
using IotTelemetry.Edge.Writer;
using IotTelemetry.OpcUa;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IotTelemetry.Edge.OpcUa;

/// <summary>
/// OPC UA -> readings -> edge Kafka, one independent client per configured server. Numeric data changes
/// (Boolean, integers, Float, Double) become readings with the status code as quality and the node's
/// EngineeringUnits as unit; anything else goes to the dead-letter topic with the reason.
/// </summary>
public sealed class OpcUaIngestService(IOptions<AgentOptions> agent, IOptions<OpcUaIngestOptions> opcUa, IOptions<ValidationOptions> validation, EdgeWriter writer,
    EdgeMetrics metrics, IngestHealth health, ILoggerFactory loggers)
    : BackgroundService
{
    private readonly ILogger _log = loggers.CreateLogger("IotTelemetry.Edge.OpcUa");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A session that starts again sends each item's current value, which may be the one written just before a crash.
        try { await writer.Ready.WaitAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }
        await Task.WhenAll(opcUa.Value.Servers.Select((server, i) => RunServerAsync(server, i, writer, stoppingToken)));
        writer.Flush(TimeSpan.FromSeconds(10));
    }

    private async Task RunServerAsync(OpcUaServerOptions server, int index, EdgeWriter writer, CancellationToken ct)
    {
        var errors = new ConfigErrors();
        var options = server.ToClientOptions(agent.Value.Site, $"OpcUa:Servers:{index}", errors);
        errors.ThrowIfAny();
        var mapper = new OpcUaMapper(server.EndpointUrl, server.Nodes, validation.Value);
        var received = metrics.Registry.Counter("iott_edge_messages_received_total", "MQTT messages received", ("input", "opcua"), ("server", server.DisplayName));
        var nodeErrors = metrics.Registry.Counter("iott_edge_opcua_node_errors_total", "Watched OPC UA nodes the server reported as unusable", ("server", server.DisplayName));
        await using var client = new OpcUaClient(options, loggers.CreateLogger("IotTelemetry.OpcUa"));
        metrics.Registry.Gauge("iott_edge_opcua_connected", "1 while the OPC UA session is up", () => client.IsConnected ? 1 : 0, ("server", server.DisplayName));
        metrics.Registry.Gauge("iott_edge_opcua_reconnects", "OPC UA reconnects", () => client.Statistics.Reconnects, ("server", server.DisplayName));
        try
        {
            await client.StartAsync(ct);
        }
        catch (OpcUaException ex) when (!ex.IsTransient)
        {
            // A wrong password or refused security stops this server only; the others keep flowing.
            _log.LogError("OPC UA server {Server} will not be read: {Reason}", server.DisplayName, ex.Message);
            health.Report($"opcua {server.EndpointUrl}", ex.Message);
            return;
        }
        _log.LogInformation("OPC UA ingest from {Server} watching {Count} nodes", server.DisplayName, server.Nodes.Count);
        try
        {
            await foreach (var change in client.DataChanges.ReadAllAsync(ct))
            {
                received.Increment();
                try
                {
                    Handle(server, change, mapper, writer, nodeErrors, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Each data change is its own error boundary: whatever the server sent, the next change is handled.
                    var source = $"opcua:{server.EndpointUrl}#{change.Node.Node}";
                    LogMessages.ProcessingFailed(_log, source, ex.ToString());
                    writer.WriteDeadLetter(change.Node.Node, DescribeChange(server, change, ex.Message), source,
                        new Rejection(RejectReason.ProcessingError, $"{change.Node.Node}: the agent could not process this data change: {ex.GetType().Name}: {ex.Message}"),
                        UnixMicros.Now(), () => { }, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void Handle(OpcUaServerOptions server, OpcUaDataChange change, OpcUaMapper mapper, EdgeWriter writer, TaggedCounter nodeErrors,
        CancellationToken ct)
    {
        var now = UnixMicros.Now();
        var node = change.Node;
        var input = $"opcua {server.EndpointUrl} {node.Node}";
        if (change.Value is null && change.Quality == OpcUaQuality.Bad)
        {
            // A node that does not exist, or a bad status with no value: reported for that node (and on /health as degraded),
            // the rest keep flowing.
            nodeErrors.Increment();
            health.Report(input, change.NonNumericReason ?? change.StatusName);
            _log.LogWarning("OPC UA node {Node} on {Server} gave no value: {Reason}", node.Node, server.DisplayName, change.NonNumericReason ?? change.StatusName);
            return;
        }
        if (change.Value is not null) health.Clear(input);
        var source = mapper.SourceOf(node);
        var result = mapper.Map(change, now);
        // Like an MQTT message: rejected (by the mapping, or as unencodable by the writer), the data change goes to the
        // dead-letter topic, keyed by its node, with what the server sent as JSON.
        var rejection = result.Rejection ?? writer.Write(result.Readings, source, () => { }, ct, LineageHeaders.OpcUaRule);
        if (rejection is not null)
            writer.WriteDeadLetter(node.Node, DescribeChange(server, change, rejection.Detail), source, rejection, now, () => { }, ct);
    }

    /// <summary>The dead-letter payload of a data change that became no reading: what the server sent, as JSON.</summary>
    private static byte[] DescribeChange(OpcUaServerOptions server, OpcUaDataChange change, string reason) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string?>
        {
            ["endpoint"] = server.EndpointUrl,
            ["node"] = change.Node.Node,
            ["status"] = change.StatusName,
            ["value"] = change.Value?.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["sourceTimestamp"] = change.SourceTimestamp?.ToString("O"),
            ["reason"] = reason,
        });
}
