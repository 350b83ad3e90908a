using IotTelemetry.Common.Readings;

namespace IotTelemetry.Edge.Ingest.Duplicates;

/// <summary>
/// What makes two readings the same reading: the sensor, the event time, the value (bit for bit) and the quality.
/// Unit, source and ingest time are left out: a redelivered message is mapped again at another time.
/// </summary>
internal readonly record struct ReadingIdentity(string Key, long TimestampMicros, long ValueBits, Quality Quality)
{
    public static ReadingIdentity Of(Reading r, string key) => new(key, r.TimestampMicros, BitConverter.DoubleToInt64Bits(r.Value), r.Quality);
}

/// <summary>A dead letter's identity: the source (MQTT topic or node), the payload's length and its 64-bit XXH3 hash.</summary>
internal readonly record struct DeadLetterIdentity(string Source, int Length, ulong PayloadHash)
{
    public static DeadLetterIdentity Of(string source, ReadOnlySpan<byte> payload) =>
        new(source, payload.Length, System.IO.Hashing.XxHash3.HashToUInt64(payload));
}
