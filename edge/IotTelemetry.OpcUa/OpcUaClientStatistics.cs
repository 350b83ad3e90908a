namespace IotTelemetry.OpcUa;

/// <summary>A snapshot of what one client has done since it started.</summary>
public sealed record OpcUaClientStatistics(
    bool Connected,
    long DataChanges,
    long PublishResponses,
    long KeepAlives,
    int Reconnects,
    TimeSpan LastGap,
    long MissingSequenceNumbers,
    long Republished,
    long Dropped,
    int TokenRenewals);
