namespace IotTelemetry.Parquet;

/// <summary>A column of 32-bit signed integers (<see cref="ParquetColumnType.Int32"/>).</summary>
public sealed class Int32Column : ParquetValueColumn<int>
{
    /// <summary>Creates an empty buffer for <paramref name="field"/>, which must be of type Int32.</summary>
    public Int32Column(ParquetField field, int capacity = 0) : base(field, ParquetColumnType.Int32, capacity)
    {
    }
}
