using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>Turns a DataValue into the façade's data change: numeric value or the reason there is none, quality from the status.</summary>
internal static class ValueConverter
{
    public static OpcUaDataChange ToDataChange(MonitoredNode node, DataValue value)
    {
        var (number, reason) = ToNumber(value.Value);
        if (value.Status.IsBad && number is null) reason = value.Status.Name;
        return new OpcUaDataChange(node.Watch, number, reason, value.SourceTimestamp, value.ServerTimestamp, value.Status.Code, QualityOf(value.Status))
        {
            Unit = node.Unit,
            ResolvedNodeId = node.NodeId?.ToString(),
        };
    }

    public static OpcUaDataChange Unavailable(MonitoredNode node, StatusCode status) =>
        new(node.Watch, null, $"{status.Name}: {node.Problem ?? "the node is not available"}", null, DateTime.UtcNow, status.Code, OpcUaQuality.Bad)
        {
            ResolvedNodeId = node.NodeId?.ToString(),
        };

    public static OpcUaQuality QualityOf(StatusCode status) =>
        status.IsGood ? OpcUaQuality.Good : status.IsUncertain ? OpcUaQuality.Uncertain : OpcUaQuality.Bad;

    public static (double? Value, string? Reason) ToNumber(Variant variant)
    {
        if (variant.Value is null) return (null, "no value");
        if (variant.IsArray) return (null, $"array of {variant.Type}");
        return variant.Value switch
        {
            bool b => (b ? 1 : 0, null),
            sbyte v => (v, null),
            byte v => (v, null),
            short v => (v, null),
            ushort v => (v, null),
            int v => (v, null),
            uint v => (v, null),
            long v => (v, null),
            ulong v => (v, null),
            float v => (v, null),
            double v => (v, null),
            StatusCode => (null, "non-numeric type StatusCode"),
            _ => (null, $"non-numeric type {variant.Type}"),
        };
    }
}
