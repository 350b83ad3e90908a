namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>
/// A NodeId as configured: the plain text form (<c>ns=1;s=Pump1.Temperature</c>) or the expanded form that names its
/// namespace by URI (<c>nsu=urn:plant:pumps;s=Pump1.Temperature</c>, Part 6, 5.3.1.11; a ';' inside the URI is written %3B).
/// A namespace URI is looked up in the server's NamespaceArray at every connect, so the id survives a server that
/// renumbers its namespaces.
/// </summary>
internal sealed record NamespacedNodeId(string? NamespaceUri, NodeId NodeId)
{
    public static bool TryParse(string text, out NamespacedNodeId id, out string error)
    {
        id = null!;
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("nsu=", StringComparison.Ordinal))
        {
            if (!NodeId.TryParse(trimmed, out var plain, out error)) return false;
            id = new NamespacedNodeId(null, plain);
            return true;
        }
        var semi = trimmed.IndexOf(';');
        if (semi <= 4)
        {
            error = $"Expected 'nsu=<namespace URI>;<i|s|g|b>=<identifier>' but got '{text}'";
            return false;
        }
        var uri = Uri.UnescapeDataString(trimmed[4..semi]);
        var rest = trimmed[(semi + 1)..];
        if (rest.StartsWith("ns=", StringComparison.Ordinal))
        {
            error = $"Expected either nsu= or ns= in NodeId '{text}', not both";
            return false;
        }
        if (!NodeId.TryParse(rest, out var local, out error)) return false;
        id = new NamespacedNodeId(uri, local);
        return true;
    }

    /// <summary>The NodeId with the namespace index the server gives <see cref="NamespaceUri"/>, or null when it has no such namespace.</summary>
    public NodeId? Resolve(IReadOnlyList<string> namespaceArray)
    {
        if (NamespaceUri is null) return NodeId;
        for (var i = 0; i < namespaceArray.Count && i <= ushort.MaxValue; i++)
        {
            if (!string.Equals(namespaceArray[i], NamespaceUri, StringComparison.Ordinal)) continue;
            var ns = (ushort)i;
            return NodeId.IdType switch
            {
                IdType.Numeric => new NodeId(ns, NodeId.Numeric),
                IdType.String => new NodeId(ns, NodeId.Text!),
                IdType.Guid => new NodeId(ns, NodeId.Guid),
                _ => new NodeId(ns, NodeId.Opaque!),
            };
        }
        return null;
    }
}
