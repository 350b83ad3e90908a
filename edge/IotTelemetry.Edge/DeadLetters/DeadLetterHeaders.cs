namespace IotTelemetry.Edge.DeadLetters;

/// <summary>
/// Headers of a dead-letter record. Its key is the source topic and its value the original payload bytes,
/// unchanged, so it can be inspected and replayed.
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>Machine-readable reason, one of <see cref="RejectReason.All"/>.</summary>
    public const string Reason = "iott-reason";

    /// <summary>A sentence saying what was wrong, for people.</summary>
    public const string Detail = "iott-detail";

    /// <summary>Input and address, e.g. <c>mqtt:plants/a/pump-1/temperature</c>.</summary>
    public const string Source = "iott-source";

    /// <summary>When the agent received it: µs since the epoch, decimal text.</summary>
    public const string ReceivedMicros = "iott-received-us";

    /// <summary>Present when the payload was cut to fit the edge cluster's message limit: the original size in bytes, decimal text.</summary>
    public const string OriginalSize = "iott-original-size";
}
