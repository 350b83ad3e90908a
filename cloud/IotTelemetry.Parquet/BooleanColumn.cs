namespace IotTelemetry.Parquet;

/// <summary>A column of booleans (<see cref="ParquetColumnType.Boolean"/>).</summary>
public sealed class BooleanColumn : ParquetValueColumn<bool>
{
    /// <summary>Creates an empty buffer for <paramref name="field"/>, which must be of type Boolean.</summary>
    public BooleanColumn(ParquetField field, int capacity = 0) : base(field, ParquetColumnType.Boolean, capacity)
    {
    }
}
