namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>A NodeId that may name its namespace by URI and its server by index (Part 6, 5.2.2.10).</summary>
internal sealed record ExpandedNodeId(NodeId NodeId, string? NamespaceUri = null, uint ServerIndex = 0)
{
    public override string ToString() =>
        (ServerIndex != 0 ? $"svr={ServerIndex};" : "") + (NamespaceUri is null ? NodeId.ToString() : $"nsu={NamespaceUri};{NodeId}");
}
