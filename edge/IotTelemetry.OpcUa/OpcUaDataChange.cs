namespace IotTelemetry.OpcUa;

/// <summary>
/// One value reported for a watched node. <see cref="Value"/> is set for numeric and Boolean values (true = 1);
/// otherwise <see cref="NonNumericReason"/> says why there is none (a string value, an array, no value, a missing node).
/// </summary>
public sealed record OpcUaDataChange(
    OpcUaWatchedNode Node,
    double? Value,
    string? NonNumericReason,
    DateTime? SourceTimestamp,
    DateTime? ServerTimestamp,
    uint StatusCode,
    OpcUaQuality Quality)
{
    /// <summary>The standard name of the status code, such as Good or BadNodeIdUnknown.</summary>
    public string StatusName => Internal.Encoding.StatusCodes.NameOf(StatusCode);

    /// <summary>The node's EngineeringUnits display name (for example °C) when the server has one.</summary>
    public string? Unit { get; init; }

    /// <summary>The NodeId the node was resolved to (differs from <see cref="OpcUaWatchedNode.Node"/> for browse paths).</summary>
    public string? ResolvedNodeId { get; init; }
}
