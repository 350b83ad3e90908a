namespace IotTelemetry.Parquet;

/// <summary>A column of IEEE 754 doubles (<see cref="ParquetColumnType.Double"/>).</summary>
public sealed class DoubleColumn : ParquetValueColumn<double>
{
    /// <summary>Creates an empty buffer for <paramref name="field"/>, which must be of type Double.</summary>
    public DoubleColumn(ParquetField field, int capacity = 0) : base(field, ParquetColumnType.Double, capacity)
    {
    }
}
