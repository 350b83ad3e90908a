using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Internal.Services;

internal readonly record struct SubscriptionAcknowledgement(uint SubscriptionId, uint SequenceNumber);

/// <summary>Publish (Part 4, 5.13.5): asks for the next notification and acknowledges received ones.</summary>
internal sealed record PublishRequest(SubscriptionAcknowledgement[] Acknowledgements) : IUaRequest
{
    public uint BinaryEncodingId => 826;

    public void EncodeBody(UaWriter w) => w.WriteArray(Acknowledgements, static (x, a) =>
    {
        x.WriteUInt32(a.SubscriptionId);
        x.WriteUInt32(a.SequenceNumber);
    });
}

/// <summary>Part 4, 7.23. No notification data means a keep-alive, whose sequence number is the next one to come.</summary>
internal sealed record NotificationMessage(uint SequenceNumber, DateTime PublishTime, ExtensionObject[] NotificationData)
{
    public static NotificationMessage Decode(UaReader r) =>
        new(r.ReadUInt32(), r.ReadDateTime(), r.ReadArray(static x => x.ReadExtensionObject()));
}

internal sealed record PublishResponse(
    ResponseHeader Header, uint SubscriptionId, uint[] AvailableSequenceNumbers, bool MoreNotifications,
    NotificationMessage Message, StatusCode[] Results) : IUaResponse
{
    public const uint EncodingId = 829;

    public static PublishResponse Decode(UaReader r)
    {
        var header = ResponseHeader.Decode(r);
        var id = r.ReadUInt32();
        var available = r.ReadArray(static x => x.ReadUInt32());
        var more = r.ReadBoolean();
        var message = NotificationMessage.Decode(r);
        var results = r.ReadArray(static x => x.ReadStatusCode());
        r.ReadArray(static x => x.ReadDiagnosticInfo());
        return new PublishResponse(header, id, available, more, message, results);
    }
}

/// <summary>Republish (Part 4, 5.13.6): asks again for a notification message that was lost.</summary>
internal sealed record RepublishRequest(uint SubscriptionId, uint RetransmitSequenceNumber) : IUaRequest
{
    public uint BinaryEncodingId => 832;

    public void EncodeBody(UaWriter w)
    {
        w.WriteUInt32(SubscriptionId);
        w.WriteUInt32(RetransmitSequenceNumber);
    }
}

internal sealed record RepublishResponse(ResponseHeader Header, NotificationMessage Message) : IUaResponse
{
    public const uint EncodingId = 835;

    public static RepublishResponse Decode(UaReader r) => new(ResponseHeader.Decode(r), NotificationMessage.Decode(r));
}

internal readonly record struct MonitoredItemNotification(uint ClientHandle, DataValue Value);

/// <summary>Part 4, 7.24.2.</summary>
internal sealed record DataChangeNotification(MonitoredItemNotification[] MonitoredItems)
{
    public const uint EncodingId = 811;

    public static DataChangeNotification Decode(UaReader r)
    {
        var items = r.ReadArray(static x => new MonitoredItemNotification(x.ReadUInt32(), x.ReadDataValue()));
        r.ReadArray(static x => x.ReadDiagnosticInfo());
        return new DataChangeNotification(items);
    }
}

/// <summary>Part 4, 7.24.4: the subscription itself changed state (for example it timed out: BadTimeout).</summary>
internal sealed record StatusChangeNotification(StatusCode Status)
{
    public const uint EncodingId = 820;

    public static StatusChangeNotification Decode(UaReader r)
    {
        var status = r.ReadStatusCode();
        r.ReadDiagnosticInfo();
        return new StatusChangeNotification(status);
    }
}
