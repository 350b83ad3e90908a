namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>A value with its status and timestamps (Part 6, 5.2.2.17). Absent timestamps are null.</summary>
internal sealed record DataValue(
    Variant Value,
    StatusCode Status,
    DateTime? SourceTimestamp = null,
    ushort SourcePicoseconds = 0,
    DateTime? ServerTimestamp = null,
    ushort ServerPicoseconds = 0);
