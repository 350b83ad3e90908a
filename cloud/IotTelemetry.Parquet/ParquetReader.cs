using System.Buffers;
using System.Buffers.Binary;
using IotTelemetry.Parquet.Internal.Format;
using IotTelemetry.Parquet.Internal.Reading;

namespace IotTelemetry.Parquet;

/// <summary>
/// Reads files this library writes (and flat files like them): the footer on open, then column chunks on
/// demand into the same column buffers the writer takes. Supports UNCOMPRESSED, SNAPPY and GZIP, PLAIN and
/// dictionary pages (data page v1), and definition levels of optional columns. Not thread-safe.
/// </summary>
public sealed class ParquetReader : IDisposable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly FileMetaData _metadata;
    private readonly ParquetRowGroupInfo[] _rowGroups;

    /// <summary>Opens a file for reading.</summary>
    public static ParquetReader Open(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess));

    /// <summary>Reads the footer of the Parquet file in <paramref name="input"/> (a seekable stream).</summary>
    /// <exception cref="ParquetFormatException">The stream does not hold a Parquet file this reader understands.</exception>
    public ParquetReader(Stream input, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.CanSeek || !input.CanRead) throw new ArgumentException("Expected a readable, seekable stream", nameof(input));
        _stream = input;
        _leaveOpen = leaveOpen;
        try
        {
            FileLength = input.Length;
            _metadata = ReadFooter();
            Schema = SchemaMapping.FromElements(_metadata.Schema);
            _rowGroups = new ParquetRowGroupInfo[_metadata.RowGroups.Count];
            for (var i = 0; i < _rowGroups.Length; i++) _rowGroups[i] = Describe(i, _metadata.RowGroups[i]);
        }
        catch
        {
            if (!leaveOpen) input.Dispose();
            throw;
        }
    }

    /// <summary>The file's schema.</summary>
    public ParquetSchema Schema { get; }

    /// <summary>The file's size in bytes.</summary>
    public long FileLength { get; }

    /// <summary>Rows in the file (the footer's num_rows).</summary>
    public long RowCount => _metadata.NumRows;

    /// <summary>The writer named in the footer, if any.</summary>
    public string? CreatedBy => _metadata.CreatedBy;

    /// <summary>The footer's key/value pairs in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> KeyValueMetadata => _metadata.KeyValueMetadata;

    /// <summary>The row groups with their column chunks and statistics.</summary>
    public IReadOnlyList<ParquetRowGroupInfo> RowGroups => _rowGroups;

    /// <summary>The value of a footer key, or null.</summary>
    public string? GetMetadata(string key)
    {
        foreach (var (k, v) in _metadata.KeyValueMetadata)
            if (k == key) return v;
        return null;
    }

    /// <summary>Reads one column chunk into a new buffer of the column's type (e.g. a <see cref="DoubleColumn"/>).</summary>
    public ParquetColumn ReadColumn(int rowGroup, int column)
    {
        if ((uint)rowGroup >= (uint)_rowGroups.Length)
            throw new ArgumentOutOfRangeException(nameof(rowGroup), $"Expected a row group in 0..{_rowGroups.Length - 1}, got {rowGroup}");
        if ((uint)column >= (uint)Schema.Count)
            throw new ArgumentOutOfRangeException(nameof(column), $"Expected a column in 0..{Schema.Count - 1}, got {column}");
        var group = _metadata.RowGroups[rowGroup];
        var meta = group.Columns[column].MetaData;
        if (meta.NumValues != group.NumRows)
            throw new ParquetFormatException($"Expected {group.NumRows} values in flat column '{Schema[column].Name}' of row group {rowGroup}, got {meta.NumValues}");
        var start = meta.DictionaryPageOffset is { } d && d > 0 && d < meta.DataPageOffset ? d : meta.DataPageOffset;
        var length = meta.TotalCompressedSize;
        if (start < Magic.Length || length < 0 || start + length > FileLength - 8 || length > Array.MaxLength)
            throw new ParquetFormatException($"Expected column '{Schema[column].Name}' of row group {rowGroup} within the file's {FileLength} bytes, got offset {start} length {length}");
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(1, length));
        try
        {
            _stream.Position = start;
            _stream.ReadExactly(buffer, 0, (int)length);
            var result = ColumnChunkReader.Read(buffer.AsSpan(0, (int)length), meta, Schema[column]);
            if (result.Count != group.NumRows)
                throw new ParquetFormatException($"Expected {group.NumRows} rows in column '{Schema[column].Name}' of row group {rowGroup}, got {result.Count}");
            return result;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the named column of a row group.</summary>
    public ParquetColumn ReadColumn(int rowGroup, string name)
    {
        var column = Schema.IndexOf(name);
        if (column < 0) throw new ArgumentException($"Expected a column of the file's schema ({Schema}), got '{name}'", nameof(name));
        return ReadColumn(rowGroup, column);
    }

    /// <summary>Reads every column of a row group into a new <see cref="ParquetRowBuffer"/>.</summary>
    public ParquetRowBuffer ReadRowGroup(int rowGroup)
    {
        var columns = new ParquetColumn[Schema.Count];
        for (var c = 0; c < columns.Length; c++) columns[c] = ReadColumn(rowGroup, c);
        return new ParquetRowBuffer(Schema, columns);
    }

    /// <summary>Closes the stream unless it was opened with leaveOpen. Never throws.</summary>
    public void Dispose()
    {
        if (_leaveOpen) return;
        try
        {
            _stream.Dispose();
        }
        catch (Exception)
        {
            // Dispose must not throw; nothing was written.
        }
    }

    private FileMetaData ReadFooter()
    {
        if (FileLength < 12)
            throw new ParquetFormatException($"Expected a Parquet file of at least 12 bytes, got {FileLength}");
        Span<byte> head = stackalloc byte[4];
        _stream.Position = 0;
        _stream.ReadExactly(head);
        if (!head.SequenceEqual(Magic))
            throw new ParquetFormatException($"Expected magic 'PAR1' at the start, got {Convert.ToHexString(head)}");
        Span<byte> tail = stackalloc byte[8];
        _stream.Position = FileLength - 8;
        _stream.ReadExactly(tail);
        if (!tail[4..].SequenceEqual(Magic))
            throw new ParquetFormatException($"Expected magic 'PAR1' at the end (a completed file), got {Convert.ToHexString(tail[4..])}");
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > FileLength - 12)
            throw new ParquetFormatException($"Expected a footer length of 1..{FileLength - 12}, got {footerLength}");
        var footer = new byte[footerLength];
        _stream.Position = FileLength - 8 - footerLength;
        _stream.ReadExactly(footer);
        return FileMetaData.Read(footer);
    }

    private ParquetRowGroupInfo Describe(int index, RowGroup group)
    {
        if (group.Columns.Count != Schema.Count)
            throw new ParquetFormatException($"Expected {Schema.Count} column chunks in row group {index}, got {group.Columns.Count}");
        var columns = new ParquetColumnChunkInfo[group.Columns.Count];
        long compressed = 0;
        for (var c = 0; c < columns.Length; c++)
        {
            var meta = group.Columns[c].MetaData;
            var field = Schema[c];
            if (meta.Type != SchemaMapping.PhysicalOf(field.Type))
                throw new ParquetFormatException($"Expected physical type {SchemaMapping.PhysicalOf(field.Type)} for '{field.Name}' in row group {index}, got {meta.Type}");
            var compression = meta.Codec switch
            {
                CompressionCodec.Uncompressed => ParquetCompression.Uncompressed,
                CompressionCodec.Snappy => ParquetCompression.Snappy,
                CompressionCodec.Gzip => ParquetCompression.Gzip,
                _ => throw new ParquetFormatException($"Expected codec UNCOMPRESSED, SNAPPY or GZIP for '{field.Name}', got {(int)meta.Codec}"),
            };
            var encodings = new string[meta.Encodings.Count];
            for (var e = 0; e < encodings.Length; e++) encodings[e] = EncodingName(meta.Encodings[e]);
            ParquetStatistics? statistics = null;
            if (meta.Statistics is { } s)
            {
                var signedOrder = field.Type != ParquetColumnType.String;
                statistics = new ParquetStatistics(field.Type, s.NullCount,
                    s.MinValue ?? (signedOrder ? s.LegacyMin : null),
                    s.MaxValue ?? (signedOrder ? s.LegacyMax : null));
            }
            compressed += meta.TotalCompressedSize;
            columns[c] = new ParquetColumnChunkInfo(field, compression, encodings, meta.NumValues, meta.TotalCompressedSize,
                meta.TotalUncompressedSize, meta.DataPageOffset, meta.DictionaryPageOffset, statistics);
        }
        return new ParquetRowGroupInfo(index, group.NumRows, group.TotalByteSize, group.TotalCompressedSize ?? compressed, columns);
    }

    private static string EncodingName(PageEncoding encoding) => encoding switch
    {
        PageEncoding.Plain => "PLAIN",
        PageEncoding.PlainDictionary => "PLAIN_DICTIONARY",
        PageEncoding.Rle => "RLE",
        PageEncoding.BitPacked => "BIT_PACKED",
        PageEncoding.RleDictionary => "RLE_DICTIONARY",
        _ => ((int)encoding).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
