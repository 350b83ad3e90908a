namespace IotTelemetry.Common.Kafka;

/// <summary>
/// Headers of a dead-letter record, whoever wrote it (the edge agent for rejected input, the cloud's Parquet sink for
/// records it cannot store). Its key and value are the original ones, unchanged, so it can be inspected and replayed;
/// one set of names, so one tool reads the dead letters of both.
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>Machine-readable reason: the edge's <c>RejectReason</c> values, the lake sink's <c>LakeRejection</c> reasons.</summary>
    public const string Reason = "iott-reason";

    /// <summary>A sentence saying what was wrong, for people.</summary>
    public const string Detail = "iott-detail";

    /// <summary>Input and address, e.g. <c>mqtt:plants/a/pump-1/temperature</c> at the edge, <c>kafka:telemetry[3]@1234</c> in the lake sink.</summary>
    public const string Source = "iott-source";

    /// <summary>When the edge agent received it: µs since the epoch, decimal text.</summary>
    public const string ReceivedMicros = "iott-received-us";

    /// <summary>Present when the payload was cut to fit the edge cluster's message limit: the original size in bytes, decimal text.</summary>
    public const string OriginalSize = "iott-original-size";
}
