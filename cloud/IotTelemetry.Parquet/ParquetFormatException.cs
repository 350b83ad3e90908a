namespace IotTelemetry.Parquet;

/// <summary>
/// A Parquet file (or a part of one) is not what the format or this reader expects. The message says
/// what was expected and what was found.
/// </summary>
public sealed class ParquetFormatException : Exception
{
    /// <summary>Creates the exception with a message saying what was expected and what was found.</summary>
    public ParquetFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the fault that made the data unreadable.</summary>
    public ParquetFormatException(string message, Exception inner) : base(message, inner)
    {
    }
}
