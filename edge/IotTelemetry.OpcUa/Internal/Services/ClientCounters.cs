namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>Counters one client updates from its loops (Interlocked) and snapshots into OpcUaClientStatistics.</summary>
internal sealed class ClientCounters
{
    public long DataChanges;
    public long PublishResponses;
    public long KeepAlives;
    public int Reconnects;
    public long LastGapTicks;
    public long MissingSequenceNumbers;
    public long Republished;
    public long Dropped;
    public int TokenRenewalsOfClosedChannels;
}
