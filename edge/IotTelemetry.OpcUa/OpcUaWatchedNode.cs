namespace IotTelemetry.OpcUa;

/// <summary>
/// A node to watch and where its values belong. <see cref="Node"/> is a NodeId (<c>ns=1;s=Pump1.Temperature</c>,
/// <c>ns=1;i=1001</c>, <c>ns=1;g=...</c>, <c>ns=1;b=base64</c>, or with the namespace by URI: <c>nsu=urn:plant:pumps;s=Pump1.Temperature</c>) or a browse path from the Objects folder
/// (<c>/Objects/Pump1/Temperature</c>; a step may name its namespace as <c>1:Temperature</c>).
/// </summary>
public sealed record OpcUaWatchedNode(string Node, string Site, string Asset, string Sensor)
{
    public TimeSpan SamplingInterval { get; init; } = TimeSpan.FromSeconds(1);
    public uint QueueSize { get; init; } = 10;
    public OpcUaDeadbandType DeadbandType { get; init; } = OpcUaDeadbandType.None;
    public double DeadbandValue { get; init; }

    public bool IsBrowsePath => Node.StartsWith('/');

    /// <summary>True when <paramref name="node"/> is a browse path or a NodeId in the ns= or nsu= text form; otherwise <paramref name="error"/> says why.</summary>
    public static bool IsWellFormed(string node, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(node)) return false;
        return node.StartsWith('/') || Internal.Encoding.NamespacedNodeId.TryParse(node, out _, out error);
    }
}
