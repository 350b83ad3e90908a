namespace IotTelemetry.OpcUa.Internal.Services;

using IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>
/// The DefaultBinary encoding ids (namespace 0) of every structure this client decodes, mapped to its decoder.
/// Where the numbers come from: see README.md in this folder.
/// </summary>
internal static class TypeTable
{
    public static readonly IReadOnlyDictionary<uint, Func<UaReader, object>> Decoders = new Dictionary<uint, Func<UaReader, object>>
    {
        [ServiceFault.EncodingId] = ServiceFault.Decode,
        [OpenSecureChannelResponse.EncodingId] = OpenSecureChannelResponse.Decode,
        [GetEndpointsResponse.EncodingId] = GetEndpointsResponse.Decode,
        [CreateSessionResponse.EncodingId] = CreateSessionResponse.Decode,
        [ActivateSessionResponse.EncodingId] = ActivateSessionResponse.Decode,
        [CloseSessionResponse.EncodingId] = CloseSessionResponse.Decode,
        [ReadResponse.EncodingId] = ReadResponse.Decode,
        [BrowseResponse.EncodingId] = BrowseResponse.Decode,
        [BrowseNextResponse.EncodingId] = BrowseNextResponse.Decode,
        [TranslateBrowsePathsResponse.EncodingId] = TranslateBrowsePathsResponse.Decode,
        [CreateSubscriptionResponse.EncodingId] = CreateSubscriptionResponse.Decode,
        [DeleteSubscriptionsResponse.EncodingId] = DeleteSubscriptionsResponse.Decode,
        [CreateMonitoredItemsResponse.EncodingId] = CreateMonitoredItemsResponse.Decode,
        [PublishResponse.EncodingId] = PublishResponse.Decode,
        [RepublishResponse.EncodingId] = RepublishResponse.Decode,
        [DataChangeNotification.EncodingId] = DataChangeNotification.Decode,
        [StatusChangeNotification.EncodingId] = StatusChangeNotification.Decode,
        [EUInformation.EncodingId] = EUInformation.Decode,
    };
}
