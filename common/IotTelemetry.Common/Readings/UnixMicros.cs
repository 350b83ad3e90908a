namespace IotTelemetry.Common.Readings;

/// <summary>Microseconds since the Unix epoch, UTC: the one time unit of the pipeline.</summary>
public static class UnixMicros
{
    private const long TicksPerMicro = TimeSpan.TicksPerMillisecond / 1000;

    public static long FromDateTimeOffset(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicro;

    public static DateTimeOffset ToDateTimeOffset(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * TicksPerMicro);

    public static long Now(TimeProvider? clock = null) => FromDateTimeOffset((clock ?? TimeProvider.System).GetUtcNow());
}
