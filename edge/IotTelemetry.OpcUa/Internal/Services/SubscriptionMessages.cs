using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>CreateSubscription (Part 4, 5.13.2).</summary>
internal sealed record CreateSubscriptionRequest(
    double PublishingIntervalMs, uint LifetimeCount, uint MaxKeepAliveCount, uint MaxNotificationsPerPublish) : IUaRequest
{
    public uint BinaryEncodingId => 787;

    public void EncodeBody(UaWriter w)
    {
        w.WriteDouble(PublishingIntervalMs);
        w.WriteUInt32(LifetimeCount);
        w.WriteUInt32(MaxKeepAliveCount);
        w.WriteUInt32(MaxNotificationsPerPublish);
        w.WriteBoolean(true); // publishingEnabled
        w.WriteByte(0); // priority
    }
}

internal sealed record CreateSubscriptionResponse(
    ResponseHeader Header, uint SubscriptionId, double RevisedPublishingIntervalMs, uint RevisedLifetimeCount, uint RevisedMaxKeepAliveCount)
    : IUaResponse
{
    public const uint EncodingId = 790;

    public static CreateSubscriptionResponse Decode(UaReader r) =>
        new(ResponseHeader.Decode(r), r.ReadUInt32(), r.ReadDouble(), r.ReadUInt32(), r.ReadUInt32());
}

internal sealed record DeleteSubscriptionsRequest(uint[] SubscriptionIds) : IUaRequest
{
    public uint BinaryEncodingId => 847;

    public void EncodeBody(UaWriter w) => w.WriteArray(SubscriptionIds, static (x, id) => x.WriteUInt32(id));
}

internal sealed record DeleteSubscriptionsResponse(ResponseHeader Header) : IUaResponse
{
    public const uint EncodingId = 850;

    public static DeleteSubscriptionsResponse Decode(UaReader r) => new(ResponseHeader.Decode(r));
}

/// <summary>Part 4, 7.22.2: report a change only beyond a deadband. Trigger 1 = status or value; DeadbandType 1 absolute, 2 percent.</summary>
internal sealed record DataChangeFilter(uint DeadbandType, double DeadbandValue) : IUaEncodeable
{
    public uint BinaryEncodingId => 724;

    public void Encode(UaWriter w)
    {
        w.WriteUInt32(1);
        w.WriteUInt32(DeadbandType);
        w.WriteDouble(DeadbandValue);
    }
}

/// <summary>Part 4, 7.21 (MonitoringParameters) inside 5.12.2 (MonitoredItemCreateRequest); MonitoringMode 2 = reporting.</summary>
internal sealed record MonitoredItemCreateRequest(ReadValueId ItemToMonitor, uint ClientHandle, double SamplingIntervalMs, DataChangeFilter? Filter, uint QueueSize)
{
    public void Encode(UaWriter w)
    {
        ItemToMonitor.Encode(w);
        w.WriteUInt32(2);
        w.WriteUInt32(ClientHandle);
        w.WriteDouble(SamplingIntervalMs);
        w.WriteExtensionObject(Filter is null ? ExtensionObject.Null : ExtensionObject.From(Filter));
        w.WriteUInt32(QueueSize);
        w.WriteBoolean(true); // discardOldest
    }
}

/// <summary>CreateMonitoredItems (Part 4, 5.12.2).</summary>
internal sealed record CreateMonitoredItemsRequest(uint SubscriptionId, MonitoredItemCreateRequest[] Items, uint TimestampsToReturn = 2) : IUaRequest
{
    public uint BinaryEncodingId => 751;

    public void EncodeBody(UaWriter w)
    {
        w.WriteUInt32(SubscriptionId);
        w.WriteUInt32(TimestampsToReturn);
        w.WriteArray(Items, static (x, i) => i.Encode(x));
    }
}

internal sealed record MonitoredItemCreateResult(StatusCode Status, uint MonitoredItemId, double RevisedSamplingIntervalMs, uint RevisedQueueSize)
{
    public static MonitoredItemCreateResult Decode(UaReader r)
    {
        var result = new MonitoredItemCreateResult(r.ReadStatusCode(), r.ReadUInt32(), r.ReadDouble(), r.ReadUInt32());
        r.ReadExtensionObject(); // filterResult
        return result;
    }
}

internal sealed record CreateMonitoredItemsResponse(ResponseHeader Header, MonitoredItemCreateResult[] Results) : IUaResponse
{
    public const uint EncodingId = 754;

    public static CreateMonitoredItemsResponse Decode(UaReader r)
    {
        var header = ResponseHeader.Decode(r);
        var results = r.ReadArray(MonitoredItemCreateResult.Decode);
        r.ReadArray(static x => x.ReadDiagnosticInfo());
        return new CreateMonitoredItemsResponse(header, results);
    }
}
