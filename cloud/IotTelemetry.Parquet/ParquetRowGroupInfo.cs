namespace IotTelemetry.Parquet;

/// <summary>One row group of a file, from the footer.</summary>
public sealed class ParquetRowGroupInfo
{
    internal ParquetRowGroupInfo(int index, long rowCount, long totalByteSize, long compressedSize, IReadOnlyList<ParquetColumnChunkInfo> columns)
    {
        Index = index;
        RowCount = rowCount;
        TotalByteSize = totalByteSize;
        CompressedSize = compressedSize;
        Columns = columns;
    }

    /// <summary>The row group's position in the file.</summary>
    public int Index { get; }

    /// <summary>Rows in the group.</summary>
    public long RowCount { get; }

    /// <summary>Uncompressed size of all column chunks (total_byte_size).</summary>
    public long TotalByteSize { get; }

    /// <summary>Bytes on disk of all column chunks.</summary>
    public long CompressedSize { get; }

    /// <summary>The column chunks in schema order.</summary>
    public IReadOnlyList<ParquetColumnChunkInfo> Columns { get; }
}
