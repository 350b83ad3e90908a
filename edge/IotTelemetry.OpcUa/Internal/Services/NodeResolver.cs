using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>
/// Resolves watched nodes to NodeIds: NodeId strings are parsed; browse paths whose steps all name their namespace
/// (<c>/Objects/1:Pump1/1:Temperature</c>) go through TranslateBrowsePathsToNodeIds; others are walked with Browse
/// from the Objects folder, matching each step's name in any namespace (each parent is browsed once). A NodeId that
/// names its namespace by URI (<c>nsu=...</c>) gets the index the server's NamespaceArray gives that URI now.
/// </summary>
internal static class NodeResolver
{
    public static async Task<MonitoredNode[]> ResolveAsync(UaSession session, IReadOnlyList<OpcUaWatchedNode> nodes, CancellationToken cancellationToken)
    {
        var result = new MonitoredNode[nodes.Count];
        var translate = new List<(int Index, BrowsePath Path)>();
        var children = new Dictionary<NodeId, List<ReferenceDescription>>();
        IReadOnlyList<string>? namespaces = null;
        for (var i = 0; i < nodes.Count; i++)
        {
            var watch = nodes[i];
            if (!watch.IsBrowsePath)
            {
                if (!NamespacedNodeId.TryParse(watch.Node, out var id, out var error)) throw new FormatException(error);
                if (id.NamespaceUri is not null) namespaces ??= await ReadNamespaceArrayAsync(session, cancellationToken).ConfigureAwait(false);
                result[i] = id.Resolve(namespaces ?? []) is { } resolved
                    ? new MonitoredNode(watch, resolved, StatusCode.Good)
                    : new MonitoredNode(watch, null, new StatusCode(StatusCodes.BadNodeIdUnknown))
                    {
                        Problem = $"the server has no namespace '{id.NamespaceUri}' in its NamespaceArray ({string.Join(", ", namespaces ?? [])})",
                    };
                continue;
            }
            var steps = ParsePath(watch.Node);
            if (steps.All(s => s.Namespace is not null))
            {
                translate.Add((i, new BrowsePath(WellKnownNodes.ObjectsFolder,
                    [.. steps.Select(s => new RelativePathElement(new QualifiedName(s.Namespace!.Value, s.Name)))])));
                continue;
            }
            result[i] = await WalkAsync(session, watch, steps, children, cancellationToken).ConfigureAwait(false);
        }
        for (var start = 0; start < translate.Count; start += 500)
        {
            var batch = translate.Skip(start).Take(500).ToArray();
            var answers = await session.TranslateAsync([.. batch.Select(b => b.Path)], cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < batch.Length; j++)
            {
                var (index, _) = batch[j];
                var answer = j < answers.Length ? answers[j] : new BrowsePathResult(new StatusCode(StatusCodes.BadNoMatch), []);
                var target = answer.Targets.FirstOrDefault(t => t.RemainingPathIndex == uint.MaxValue) ?? answer.Targets.FirstOrDefault();
                result[index] = answer.Status.IsGood && target is not null
                    ? new MonitoredNode(nodes[index], target.TargetId.NodeId, StatusCode.Good)
                    : new MonitoredNode(nodes[index], null, answer.Status.IsGood ? new StatusCode(StatusCodes.BadNoMatch) : answer.Status);
            }
        }
        return result;
    }

    /// <summary>The server's NamespaceArray (Server_NamespaceArray, i=2255): namespace URIs by index.</summary>
    private static async Task<IReadOnlyList<string>> ReadNamespaceArrayAsync(UaSession session, CancellationToken cancellationToken)
    {
        var values = await session.ReadAsync([new ReadValueId(NamespaceArrayNode, AttributeIds.Value)], cancellationToken).ConfigureAwait(false);
        if (values.Length == 0 || values[0].Value.Value is not Array array) return [];
        return [.. array.Cast<object?>().Select(o => o as string ?? "")];
    }

    private static readonly NodeId NamespaceArrayNode = new(0, 2255u);

    private static async Task<MonitoredNode> WalkAsync(UaSession session, OpcUaWatchedNode watch, List<(ushort? Namespace, string Name)> steps,
        Dictionary<NodeId, List<ReferenceDescription>> children, CancellationToken cancellationToken)
    {
        var current = WellKnownNodes.ObjectsFolder;
        foreach (var (ns, name) in steps)
        {
            if (!children.TryGetValue(current, out var references))
            {
                var (status, found) = await session.BrowseChildrenAsync(current, cancellationToken).ConfigureAwait(false);
                if (status.IsBad) return new MonitoredNode(watch, null, status);
                children[current] = references = found;
            }
            var match = references.FirstOrDefault(r => r.BrowseName.Name == name && (ns is null || r.BrowseName.NamespaceIndex == ns));
            if (match is null) return new MonitoredNode(watch, null, new StatusCode(StatusCodes.BadNoMatch));
            current = match.NodeId.NodeId;
        }
        return new MonitoredNode(watch, current, StatusCode.Good);
    }

    /// <summary>"/Objects/1:Pump1/Temperature" to [(1, Pump1), (null, Temperature)]; a leading Objects step is the start node itself.</summary>
    internal static List<(ushort? Namespace, string Name)> ParsePath(string path)
    {
        var steps = new List<(ushort?, string)>();
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (i == 0 && part is "Objects" or "0:Objects") continue;
            var colon = part.IndexOf(':');
            if (colon > 0 && ushort.TryParse(part.AsSpan(0, colon), System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var ns))
                steps.Add((ns, part[(colon + 1)..]));
            else
                steps.Add((null, part));
        }
        return steps;
    }

    /// <summary>Reads the EngineeringUnits property (an EUInformation) of every resolved node; nodes without one keep no unit.</summary>
    public static async Task ReadUnitsAsync(UaSession session, MonitoredNode[] nodes, CancellationToken cancellationToken)
    {
        var resolved = nodes.Where(n => n.NodeId is not null).ToArray();
        for (var start = 0; start < resolved.Length; start += 500)
        {
            var batch = resolved.Skip(start).Take(500).ToArray();
            var answers = await session.TranslateAsync([.. batch.Select(n => new BrowsePath(n.NodeId!,
                [new RelativePathElement(new QualifiedName(0, "EngineeringUnits"))]))], cancellationToken).ConfigureAwait(false);
            var withUnit = new List<(MonitoredNode Node, NodeId Property)>();
            for (var j = 0; j < batch.Length && j < answers.Length; j++)
                if (answers[j].Status.IsGood && answers[j].Targets.Length > 0) withUnit.Add((batch[j], answers[j].Targets[0].TargetId.NodeId));
            if (withUnit.Count == 0) continue;
            var values = await session.ReadAsync([.. withUnit.Select(w => new ReadValueId(w.Property, AttributeIds.Value))], cancellationToken)
                .ConfigureAwait(false);
            for (var j = 0; j < withUnit.Count; j++)
                if (values[j].Value.Value is ExtensionObject { Body: EUInformation unit })
                    withUnit[j].Node.Unit = unit.DisplayName.Text;
        }
    }
}
