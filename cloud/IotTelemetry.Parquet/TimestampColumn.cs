namespace IotTelemetry.Parquet;

/// <summary>
/// A column of UTC instants stored as microseconds since the Unix epoch
/// (<see cref="ParquetColumnType.Timestamp"/>). <see cref="Add(DateTimeOffset)"/> floors sub-microsecond
/// ticks, so an instant never moves later.
/// </summary>
public sealed class TimestampColumn : ParquetValueColumn<long>
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMicrosecond;

    /// <summary>Creates an empty buffer for <paramref name="field"/>, which must be of type Timestamp.</summary>
    public TimestampColumn(ParquetField field, int capacity = 0) : base(field, ParquetColumnType.Timestamp, capacity)
    {
    }

    /// <summary>Appends an instant, floored to the microsecond.</summary>
    public void Add(DateTimeOffset value) => Add(ToMicros(value));

    /// <summary>The row's instant (the epoch for a null row).</summary>
    public DateTimeOffset GetTimestamp(int row) => FromMicros(this[row]);

    /// <inheritdoc />
    public override object? GetBoxed(int row) => IsNull(row) ? null : GetTimestamp(row);

    /// <summary>Microseconds since the Unix epoch, floored.</summary>
    public static long ToMicros(DateTimeOffset value)
    {
        var ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var micros = ticks / TicksPerMicrosecond;
        return ticks % TicksPerMicrosecond < 0 ? micros - 1 : micros;
    }

    /// <summary>The instant <paramref name="micros"/> microseconds after the Unix epoch.</summary>
    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * TicksPerMicrosecond);
}
