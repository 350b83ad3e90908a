namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>The UA DateTime epoch: 1601-01-01 00:00 UTC (Part 6, 5.2.2.5).</summary>
internal static class UaDateTime
{
    public static readonly DateTime Epoch = new(1601, 1, 1, 0, 0, 0, DateTimeKind.Utc);
}
