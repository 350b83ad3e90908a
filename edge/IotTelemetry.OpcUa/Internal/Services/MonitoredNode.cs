using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>A watched node after resolution: its NodeId (null when it could not be resolved), unit and status.</summary>
internal sealed record MonitoredNode(OpcUaWatchedNode Watch, NodeId? NodeId, StatusCode Status)
{
    public string? Unit { get; set; }

    /// <summary>Why the node could not be resolved, when a status code alone does not say it.</summary>
    public string? Problem { get; init; }
}
