namespace IotTelemetry.Parquet;

/// <summary>A column of 64-bit signed integers (<see cref="ParquetColumnType.Int64"/>).</summary>
public sealed class Int64Column : ParquetValueColumn<long>
{
    /// <summary>Creates an empty buffer for <paramref name="field"/>, which must be of type Int64.</summary>
    public Int64Column(ParquetField field, int capacity = 0) : base(field, ParquetColumnType.Int64, capacity)
    {
    }
}
