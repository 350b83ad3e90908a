namespace IotTelemetry.Parquet;

/// <summary>The value types a column can have, with how each is stored in the file.</summary>
public enum ParquetColumnType
{
    /// <summary>
    /// A UTC instant in microseconds since the Unix epoch: INT64 with logical type
    /// TIMESTAMP(isAdjustedToUTC=true, MICROS) and converted type TIMESTAMP_MICROS.
    /// </summary>
    Timestamp,

    /// <summary>An IEEE 754 double: DOUBLE.</summary>
    Double,

    /// <summary>A boolean: BOOLEAN.</summary>
    Boolean,

    /// <summary>A 32-bit signed integer: INT32.</summary>
    Int32,

    /// <summary>A 64-bit signed integer: INT64.</summary>
    Int64,

    /// <summary>UTF-8 text: BYTE_ARRAY with logical type STRING and converted type UTF8.</summary>
    String,
}
