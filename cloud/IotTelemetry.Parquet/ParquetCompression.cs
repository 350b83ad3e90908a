namespace IotTelemetry.Parquet;

/// <summary>How page bodies are compressed (the column chunk's codec).</summary>
public enum ParquetCompression
{
    /// <summary>Pages are stored as they are.</summary>
    Uncompressed,

    /// <summary>Snappy raw block format: fast, the usual choice.</summary>
    Snappy,

    /// <summary>GZIP (RFC 1952): smaller, slower.</summary>
    Gzip,
}
