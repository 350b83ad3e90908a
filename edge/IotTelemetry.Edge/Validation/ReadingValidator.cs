using System.Globalization;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Edge.Validation;

/// <summary>
/// The one rule set every input's reading must meet before it is written to the edge topic (MQTT JSON, Sparkplug B and
/// OPC UA alike): identifiers, timestamp, value, quality, unit, in that order, the first broken rule giving the reason.
/// Each input first turns its own format into a <see cref="Reading"/> (a JSON string that is no number, a Sparkplug
/// payload that is no protobuf are the input's own refusals); what a reading may hold is decided here only.
/// </summary>
/// <remarks>
/// Every reading this accepts, the cloud's lake sink accepts too: its check (<c>LakeRejection.Check</c>: an event time
/// a partition can name, no empty identifier) is a subset, kept there for records that reach the cloud topic from
/// elsewhere.
/// </remarks>
public sealed class ReadingValidator(ValidationOptions options)
{
    private readonly long _minTimestampMicros = UnixMicros.FromDateTimeOffset(options.MinTimestamp);
    private readonly long _maxFutureSkewMicros = (long)options.MaxFutureSkew.TotalMicroseconds;

    /// <summary>Null when <paramref name="r"/> may be written; otherwise the reason and a sentence for people.</summary>
    public Rejection? Check(Reading r) =>
        Identifier("site", r.Site) ?? Identifier("asset", r.Asset) ?? Identifier("sensor", r.Sensor)
        ?? Timestamp(r.TimestampMicros, r.IngestTimeMicros) ?? Value(r.Value) ?? Quality(r.Quality) ?? Unit(r.Unit);

    /// <summary>Part of the Kafka key and of MQTT-style <c>site/asset/sensor</c> names: no separator, no wildcard, not blank.</summary>
    private Rejection? Identifier(string name, string value) =>
        value.Length == 0 || value.Length > options.MaxIdentifierLength || string.IsNullOrWhiteSpace(value) || value.AsSpan().IndexOfAny("/+#\0") >= 0
            ? new(RejectReason.BadIdentifier,
                $"{name} '{Truncate(value)}' must be 1..{options.MaxIdentifierLength} characters, not only white space, without / + # or NUL")
            : null;

    private Rejection? Timestamp(long micros, long receivedMicros)
    {
        if (micros < _minTimestampMicros)
            return new(RejectReason.BadTimestamp, $"timestamp {Format(micros)} is before Validation:MinTimestamp {options.MinTimestamp:O}");
        var skew = micros - receivedMicros;
        return skew > _maxFutureSkewMicros
            ? new(RejectReason.FutureTimestamp,
                $"timestamp {Format(micros)} is {TimeSpan.FromMicroseconds(skew):g} ahead of the agent's clock (Validation:MaxFutureSkew = {options.MaxFutureSkew:g})")
            : null;
    }

    private static Rejection? Value(double value) =>
        double.IsFinite(value) ? null : new(RejectReason.NonFiniteValue, $"value {value.ToString(CultureInfo.InvariantCulture)} is not a finite number");

    private static Rejection? Quality(Quality quality) =>
        Enum.IsDefined(quality) ? null : new(RejectReason.BadQuality, $"quality {(byte)quality} is not good, uncertain or bad");

    /// <summary>Limited like an identifier, and without control characters: a unit is printed in dashboards, tags and labels.</summary>
    private Rejection? Unit(string unit) =>
        unit.Length > options.MaxIdentifierLength || unit.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || unit.AsSpan().IndexOfAnyInRange('\u007f', '\u009f') >= 0
            ? new(RejectReason.BadUnit, $"unit '{Truncate(unit)}' must be at most {options.MaxIdentifierLength} characters without control characters")
            : null;

    internal static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";

    /// <summary>ISO 8601 when the time is one a <see cref="DateTimeOffset"/> can hold, else the microseconds.</summary>
    private static string Format(long micros) =>
        micros is >= -62_135_596_800_000_000 and <= UnixMicros.MaxValue
            ? UnixMicros.ToDateTimeOffset(micros).ToString("O", CultureInfo.InvariantCulture)
            : micros.ToString(CultureInfo.InvariantCulture) + " µs since the epoch";
}
