namespace IotTelemetry.Parquet;

/// <summary>Where one column chunk of a row group is and how it is stored, from the footer.</summary>
public sealed class ParquetColumnChunkInfo
{
    internal ParquetColumnChunkInfo(ParquetField field, ParquetCompression compression, IReadOnlyList<string> encodings,
        long valueCount, long compressedSize, long uncompressedSize, long dataPageOffset, long? dictionaryPageOffset,
        ParquetStatistics? statistics)
    {
        Field = field;
        Compression = compression;
        Encodings = encodings;
        ValueCount = valueCount;
        CompressedSize = compressedSize;
        UncompressedSize = uncompressedSize;
        DataPageOffset = dataPageOffset;
        DictionaryPageOffset = dictionaryPageOffset;
        Statistics = statistics;
    }

    /// <summary>The column's field.</summary>
    public ParquetField Field { get; }

    /// <summary>The pages' codec.</summary>
    public ParquetCompression Compression { get; }

    /// <summary>The encodings used in the chunk, e.g. PLAIN, RLE, RLE_DICTIONARY.</summary>
    public IReadOnlyList<string> Encodings { get; }

    /// <summary>Values in the chunk, nulls included (the row count for flat columns).</summary>
    public long ValueCount { get; }

    /// <summary>Bytes on disk, page headers included.</summary>
    public long CompressedSize { get; }

    /// <summary>Bytes before compression, page headers included.</summary>
    public long UncompressedSize { get; }

    /// <summary>File offset of the first data page.</summary>
    public long DataPageOffset { get; }

    /// <summary>File offset of the dictionary page, if the chunk has one.</summary>
    public long? DictionaryPageOffset { get; }

    /// <summary>Min, max and null count, if recorded.</summary>
    public ParquetStatistics? Statistics { get; }

    /// <summary>True when the chunk's values are dictionary encoded.</summary>
    public bool IsDictionaryEncoded => DictionaryPageOffset is not null;
}
