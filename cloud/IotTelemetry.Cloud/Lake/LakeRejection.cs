using IotTelemetry.Common.Readings;

namespace IotTelemetry.Cloud.Lake;

/// <summary>Why the sink dead-letters a record instead of writing it: the <c>iott-reason</c> header and the metrics label.</summary>
public sealed record LakeRejection(string Reason, string Detail)
{
    /// <summary>The record is not a reading in any format the sink knows.</summary>
    public const string Undecodable = "undecodable";

    /// <summary>The event time cannot name a <c>date=/hour=</c> partition (before 1970 or after 9999).</summary>
    public const string TimestampOutOfRange = "timestamp_out_of_range";

    /// <summary>Site, asset or sensor is empty: the row could not be told apart from others in the lake.</summary>
    public const string EmptyIdentifier = "empty_identifier";

    public static readonly string[] All = [Undecodable, TimestampOutOfRange, EmptyIdentifier];

    /// <summary>
    /// Null when the lake schema and layout can hold <paramref name="r"/>. A subset of the edge's rules (its
    /// <c>ReadingValidator</c>, which every edge input applies): kept here for records that reach the topic from elsewhere.
    /// </summary>
    public static LakeRejection? Check(Reading r)
    {
        if (r.TimestampMicros is < 0 or > UnixMicros.MaxValue)
            return new(TimestampOutOfRange, $"Expected an event time between 1970-01-01 and 9999-12-31 but got {r.TimestampMicros} µs since the epoch");
        if (string.IsNullOrWhiteSpace(r.Site) || string.IsNullOrWhiteSpace(r.Asset) || string.IsNullOrWhiteSpace(r.Sensor))
            return new(EmptyIdentifier, $"Expected a site, asset and sensor but got '{r.Site}/{r.Asset}/{r.Sensor}'");
        return null;
    }
}
