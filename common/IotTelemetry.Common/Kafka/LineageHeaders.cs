namespace IotTelemetry.Common.Kafka;

/// <summary>
/// Kafka headers that say where a reading came from, set at the edge and read by the cloud's Parquet sink, which records
/// them per file (the lake's lineage). The mirror copies every other header unchanged, so the edge's headers arrive.
/// </summary>
public static class LineageHeaders
{
    /// <summary>UTF-8 name of the processing that made the reading at the edge: the mapping rule's name, <c>sparkplug-b</c> or <c>opcua</c>.</summary>
    public const string Rule = "iott-rule";

    /// <summary>UTF-8 id of the mirror link that copied the record to the cloud: <c>{mirrorId}:{edgeTopic}</c>.</summary>
    public const string MirrorLink = "iott-mirror";

    /// <summary>Big-endian int64 offset of the record in the edge partition of the same number.</summary>
    public const string MirrorSourceOffset = "iott-src-offset";

    /// <summary>The rule name of readings decoded from Sparkplug B payloads.</summary>
    public const string SparkplugRule = "sparkplug-b";

    /// <summary>The rule name of readings from OPC UA subscriptions.</summary>
    public const string OpcUaRule = "opcua";
}
