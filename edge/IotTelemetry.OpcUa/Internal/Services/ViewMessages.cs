using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>Well-known nodes of namespace 0 used here (Part 6, NodeIds.csv).</summary>
internal static class WellKnownNodes
{
    public static readonly NodeId RootFolder = new(0, 84u);
    public static readonly NodeId ObjectsFolder = new(0, 85u);
    public static readonly NodeId HierarchicalReferences = new(0, 33u);
    public static readonly NodeId HasProperty = new(0, 46u);
}

/// <summary>Part 4, 7.5: what to follow from one node. BrowseDirection 0 forward; ResultMask 0x3F all fields.</summary>
internal sealed record BrowseDescription(NodeId NodeId, NodeId ReferenceTypeId, bool IncludeSubtypes = true, uint NodeClassMask = 0)
{
    public void Encode(UaWriter w)
    {
        w.WriteNodeId(NodeId);
        w.WriteUInt32(0); // forward
        w.WriteNodeId(ReferenceTypeId);
        w.WriteBoolean(IncludeSubtypes);
        w.WriteUInt32(NodeClassMask);
        w.WriteUInt32(0x3F);
    }
}

/// <summary>Browse (Part 4, 5.8.2).</summary>
internal sealed record BrowseRequest(BrowseDescription[] NodesToBrowse, uint MaxReferencesPerNode = 0) : IUaRequest
{
    public uint BinaryEncodingId => 527;

    public void EncodeBody(UaWriter w)
    {
        w.WriteNodeId(NodeId.Null); // view: viewId, timestamp, viewVersion
        w.WriteDateTime(DateTime.MinValue);
        w.WriteUInt32(0);
        w.WriteUInt32(MaxReferencesPerNode);
        w.WriteArray(NodesToBrowse, static (x, b) => b.Encode(x));
    }
}

internal sealed record ReferenceDescription(
    NodeId ReferenceTypeId, bool IsForward, ExpandedNodeId NodeId, QualifiedName BrowseName, LocalizedText DisplayName,
    uint NodeClass, ExpandedNodeId TypeDefinition)
{
    public static ReferenceDescription Decode(UaReader r) => new(
        r.ReadNodeId(), r.ReadBoolean(), r.ReadExpandedNodeId(), r.ReadQualifiedName(), r.ReadLocalizedText(),
        r.ReadUInt32(), r.ReadExpandedNodeId());
}

internal sealed record BrowseResult(StatusCode Status, byte[]? ContinuationPoint, ReferenceDescription[] References)
{
    public static BrowseResult Decode(UaReader r) =>
        new(r.ReadStatusCode(), r.ReadByteString(), r.ReadArray(ReferenceDescription.Decode));
}

internal sealed record BrowseResponse(ResponseHeader Header, BrowseResult[] Results) : IUaResponse
{
    public const uint EncodingId = 530;

    public static BrowseResponse Decode(UaReader r)
    {
        var header = ResponseHeader.Decode(r);
        var results = r.ReadArray(BrowseResult.Decode);
        r.ReadArray(static x => x.ReadDiagnosticInfo());
        return new BrowseResponse(header, results);
    }
}

/// <summary>BrowseNext (Part 4, 5.8.3): the rest of a browse result after a continuation point.</summary>
internal sealed record BrowseNextRequest(bool ReleaseContinuationPoints, byte[][] ContinuationPoints) : IUaRequest
{
    public uint BinaryEncodingId => 533;

    public void EncodeBody(UaWriter w)
    {
        w.WriteBoolean(ReleaseContinuationPoints);
        w.WriteArray(ContinuationPoints, static (x, c) => x.WriteByteString(c));
    }
}

internal sealed record BrowseNextResponse(ResponseHeader Header, BrowseResult[] Results) : IUaResponse
{
    public const uint EncodingId = 536;

    public static BrowseNextResponse Decode(UaReader r)
    {
        var header = ResponseHeader.Decode(r);
        var results = r.ReadArray(BrowseResult.Decode);
        r.ReadArray(static x => x.ReadDiagnosticInfo());
        return new BrowseNextResponse(header, results);
    }
}

/// <summary>Part 4, 7.31: one step of a relative path, following hierarchical references (with subtypes) forward.</summary>
internal sealed record RelativePathElement(QualifiedName TargetName)
{
    public void Encode(UaWriter w)
    {
        w.WriteNodeId(WellKnownNodes.HierarchicalReferences);
        w.WriteBoolean(false); // isInverse
        w.WriteBoolean(true); // includeSubtypes
        w.WriteQualifiedName(TargetName);
    }
}

internal sealed record BrowsePath(NodeId StartingNode, RelativePathElement[] Elements)
{
    public void Encode(UaWriter w)
    {
        w.WriteNodeId(StartingNode);
        w.WriteArray(Elements, static (x, e) => e.Encode(x));
    }
}

/// <summary>TranslateBrowsePathsToNodeIds (Part 4, 5.8.4).</summary>
internal sealed record TranslateBrowsePathsRequest(BrowsePath[] BrowsePaths) : IUaRequest
{
    public uint BinaryEncodingId => 554;

    public void EncodeBody(UaWriter w) => w.WriteArray(BrowsePaths, static (x, p) => p.Encode(x));
}

internal sealed record BrowsePathTarget(ExpandedNodeId TargetId, uint RemainingPathIndex);

internal sealed record BrowsePathResult(StatusCode Status, BrowsePathTarget[] Targets)
{
    public static BrowsePathResult Decode(UaReader r) =>
        new(r.ReadStatusCode(), r.ReadArray(static x => new BrowsePathTarget(x.ReadExpandedNodeId(), x.ReadUInt32())));
}

internal sealed record TranslateBrowsePathsResponse(ResponseHeader Header, BrowsePathResult[] Results) : IUaResponse
{
    public const uint EncodingId = 557;

    public static TranslateBrowsePathsResponse Decode(UaReader r)
    {
        var header = ResponseHeader.Decode(r);
        var results = r.ReadArray(BrowsePathResult.Decode);
        r.ReadArray(static x => x.ReadDiagnosticInfo());
        return new TranslateBrowsePathsResponse(header, results);
    }
}
