namespace IotTelemetry.Edge.Validation;

/// <summary>Why a message went to the dead-letter topic: the <c>reason</c> header and the metrics label.</summary>
public static class RejectReason
{
    public const string PayloadTooLarge = "payload_too_large";
    public const string NotJson = "not_json";
    public const string UnmappedTopic = "unmapped_topic";
    public const string MissingValue = "missing_value";
    public const string NonNumericValue = "non_numeric_value";
    public const string NonFiniteValue = "non_finite_value";
    public const string MissingTimestamp = "missing_timestamp";
    public const string BadTimestamp = "bad_timestamp";
    public const string FutureTimestamp = "future_timestamp";
    public const string BadQuality = "bad_quality";
    public const string BadIdentifier = "bad_identifier";
    public const string BadUnit = "bad_unit";
    public const string Unencodable = "unencodable";
    public const string BadSparkplug = "bad_sparkplug";
    public const string UnknownAlias = "unknown_alias";
    public const string SequenceGap = "sequence_gap";
    public const string NotBorn = "not_born";
    public const string NoReadings = "no_readings";
    public const string RetainedWithoutTimestamp = "retained_without_timestamp";
    public const string ProcessingError = "processing_error";

    public static readonly string[] All =
    [
        PayloadTooLarge, NotJson, UnmappedTopic, MissingValue, NonNumericValue, NonFiniteValue,
        MissingTimestamp, BadTimestamp, FutureTimestamp, BadQuality, BadIdentifier, BadUnit, Unencodable, BadSparkplug, UnknownAlias,
        SequenceGap, NotBorn, NoReadings, RetainedWithoutTimestamp, ProcessingError,
    ];
}
