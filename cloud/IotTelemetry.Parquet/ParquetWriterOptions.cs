using System.IO.Compression;

namespace IotTelemetry.Parquet;

/// <summary>How a <see cref="ParquetWriter"/> lays out and compresses a file. One instance per writer is fine to share read-only.</summary>
public sealed class ParquetWriterOptions
{
    /// <summary>The name and version written as the file's created_by.</summary>
    public const string DefaultCreatedBy = "IotTelemetry.Parquet version 1.0.0";

    /// <summary>The page codec. Default Snappy.</summary>
    public ParquetCompression Compression { get; init; } = ParquetCompression.Snappy;

    /// <summary>The GZIP level when <see cref="Compression"/> is Gzip. Default Fastest.</summary>
    public CompressionLevel GzipLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>
    /// <see cref="ParquetWriter.WriteRowGroupIfFull"/> writes a row group once the buffered rows' estimated
    /// uncompressed size reaches this. Default 64 MiB.
    /// </summary>
    public long RowGroupTargetBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>The uncompressed size after which a column chunk starts a new data page. Default 1 MiB.</summary>
    public int DataPageTargetBytes { get; init; } = 1024 * 1024;

    /// <summary>Whether string columns are dictionary encoded (RLE_DICTIONARY). Default true.</summary>
    public bool UseDictionary { get; init; } = true;

    /// <summary>
    /// The largest dictionary page (PLAIN size of the distinct values) a string column chunk may have;
    /// beyond it the chunk falls back to PLAIN. Default 1 MiB.
    /// </summary>
    public int DictionaryPageLimitBytes { get; init; } = 1024 * 1024;

    /// <summary>The file's created_by string.</summary>
    public string CreatedBy { get; init; } = DefaultCreatedBy;

    /// <summary>Key/value pairs for the footer; more can be set with <see cref="ParquetWriter.SetMetadata"/> until Complete.</summary>
    public IReadOnlyDictionary<string, string>? KeyValueMetadata { get; init; }

    /// <summary>Leave the output stream open when the writer is disposed. Default false.</summary>
    public bool LeaveOpen { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Compression))
            throw new ArgumentException($"Expected Compression Uncompressed, Snappy or Gzip, got {(int)Compression}");
        if (RowGroupTargetBytes < 1)
            throw new ArgumentException($"Expected RowGroupTargetBytes >= 1, got {RowGroupTargetBytes}");
        if (DataPageTargetBytes is < 64 or > 256 * 1024 * 1024)
            throw new ArgumentException($"Expected DataPageTargetBytes in 64..268435456, got {DataPageTargetBytes}");
        if (DictionaryPageLimitBytes is < 0 or > 256 * 1024 * 1024)
            throw new ArgumentException($"Expected DictionaryPageLimitBytes in 0..268435456, got {DictionaryPageLimitBytes}");
        if (string.IsNullOrEmpty(CreatedBy))
            throw new ArgumentException("Expected a CreatedBy string, got an empty one");
    }
}
