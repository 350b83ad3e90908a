namespace IotTelemetry.Common.Readings;

/// <summary>Microseconds since the Unix epoch, UTC: the one time unit of the pipeline.</summary>
public static class UnixMicros
{
    private const long TicksPerMicro = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>The latest time the pipeline can hold (a lake partition, an ISO 8601 year): 9999-12-31T23:59:59.999999Z.</summary>
    public const long MaxValue = 253_402_300_799_999_999;

    public static long FromDateTimeOffset(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicro;

    public static DateTimeOffset ToDateTimeOffset(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * TicksPerMicro);

    public static long Now(TimeProvider? clock = null) => FromDateTimeOffset((clock ?? TimeProvider.System).GetUtcNow());
}
