using System.Buffers.Binary;
using IotTelemetry.Parquet.Internal.Encodings;
using IotTelemetry.Parquet.Internal.Format;
using IotTelemetry.Parquet.Internal.Thrift;

namespace IotTelemetry.Parquet.Internal.Writing;

/// <summary>
/// Writes one column chunk: an optional dictionary page, then data pages (v1) of about
/// <see cref="ParquetWriterOptions.DataPageTargetBytes"/> each. A data page body is the definition levels
/// (optional columns only: 4-byte LE length, then RLE/bit-packed hybrid at bit width 1) followed by the
/// values (PLAIN, or for dictionary pages one byte of bit width and the RLE/bit-packed indices); the
/// whole body is compressed. Returns the chunk's metadata for the footer.
/// </summary>
internal sealed partial class ColumnChunkWriter : IDisposable
{
    private readonly FileOutput _output;
    private readonly ParquetWriterOptions _options;
    private readonly PageCompressor _compressor;
    private readonly PooledBuffer _page = new(64 * 1024);
    private readonly PooledBuffer _header = new(256);
    private readonly PooledBuffer _scratch = new(4096);
    private readonly CompactWriter _headerWriter;

    // Per-chunk state.
    private long _dataPageOffset;
    private long? _dictionaryPageOffset;
    private long _uncompressed;
    private long _compressed;

    public ColumnChunkWriter(FileOutput output, ParquetWriterOptions options, PageCompressor compressor)
    {
        _output = output;
        _options = options;
        _compressor = compressor;
        _headerWriter = new CompactWriter(_header);
    }

    public ColumnChunk Write(ParquetColumn column, StringDictionary? dictionary)
    {
        _dataPageOffset = -1;
        _dictionaryPageOffset = null;
        _uncompressed = 0;
        _compressed = 0;
        var start = _output.Position;
        var encodings = new List<PageEncoding>(3);
        Statistics stats;
        PhysicalType physical;
        switch (column)
        {
            case TimestampColumn c:
                WriteFixed<long, Int64Codec>(c.Values, c.DefinedLevels);
                stats = ChunkStatistics.ForInt64(c.Values, c.DefinedLevels, c.NullCount);
                physical = PhysicalType.Int64;
                break;
            case Int64Column c:
                WriteFixed<long, Int64Codec>(c.Values, c.DefinedLevels);
                stats = ChunkStatistics.ForInt64(c.Values, c.DefinedLevels, c.NullCount);
                physical = PhysicalType.Int64;
                break;
            case Int32Column c:
                WriteFixed<int, Int32Codec>(c.Values, c.DefinedLevels);
                stats = ChunkStatistics.ForInt32(c.Values, c.DefinedLevels, c.NullCount);
                physical = PhysicalType.Int32;
                break;
            case DoubleColumn c:
                WriteFixed<double, DoubleCodec>(c.Values, c.DefinedLevels);
                stats = ChunkStatistics.ForDouble(c.Values, c.DefinedLevels, c.NullCount);
                physical = PhysicalType.Double;
                break;
            case BooleanColumn c:
                WriteBooleans(c.Values, c.DefinedLevels);
                stats = ChunkStatistics.ForBoolean(c.Values, c.DefinedLevels, c.NullCount);
                physical = PhysicalType.Boolean;
                break;
            case StringColumn c:
                physical = PhysicalType.ByteArray;
                if (dictionary is not null && TryWriteDictionaryEncoded(c, dictionary))
                {
                    stats = ChunkStatistics.ForStrings(dictionary.Min, dictionary.Max, c.NullCount);
                    dictionary.Reset();
                    encodings.Add(PageEncoding.Plain);
                    if (column.Field.IsNullable) encodings.Add(PageEncoding.Rle);
                    encodings.Add(PageEncoding.RleDictionary);
                }
                else
                {
                    dictionary?.Reset();
                    WritePlainStrings(c);
                    stats = ChunkStatistics.ForStrings(c.Values, c.NullCount);
                }
                break;
            default:
                throw new ArgumentException($"Expected one of the library's column types, got {column.GetType().Name}", nameof(column));
        }
        if (encodings.Count == 0)
        {
            encodings.Add(PageEncoding.Plain);
            if (column.Field.IsNullable) encodings.Add(PageEncoding.Rle);
        }
        return new ColumnChunk
        {
            FileOffset = start,
            MetaData = new ColumnMetaData
            {
                Type = physical,
                Encodings = encodings,
                PathInSchema = [column.Field.Name],
                Codec = _compressor.Codec,
                NumValues = column.Count,
                TotalUncompressedSize = _uncompressed,
                TotalCompressedSize = _compressed,
                DataPageOffset = _dataPageOffset < 0 ? start : _dataPageOffset,
                DictionaryPageOffset = _dictionaryPageOffset,
                Statistics = stats,
            },
        };
    }

    private void WriteFixed<T, TCodec>(ReadOnlySpan<T> values, ReadOnlySpan<byte> defined)
        where T : unmanaged
        where TCodec : IPlainCodec<T>
    {
        var rowsPerPage = Math.Max(1, _options.DataPageTargetBytes / TCodec.Size);
        var start = 0;
        do
        {
            var count = Math.Min(rowsPerPage, values.Length - start);
            var levels = defined.IsEmpty ? default : defined.Slice(start, count);
            BeginDataPage(levels);
            PlainEncoder.WriteFixed<T, TCodec>(values.Slice(start, count), levels, _page);
            WritePage(PageType.DataPage, count, PageEncoding.Plain);
            start += count;
        } while (start < values.Length);
    }

    private void WriteBooleans(ReadOnlySpan<bool> values, ReadOnlySpan<byte> defined)
    {
        var rowsPerPage = (int)Math.Min(int.MaxValue / 2, _options.DataPageTargetBytes * 8L);
        var start = 0;
        do
        {
            var count = Math.Min(rowsPerPage, values.Length - start);
            var levels = defined.IsEmpty ? default : defined.Slice(start, count);
            BeginDataPage(levels);
            PlainEncoder.WriteBooleans(values.Slice(start, count), levels, _page);
            WritePage(PageType.DataPage, count, PageEncoding.Plain);
            start += count;
        } while (start < values.Length);
    }

    /// <summary>Starts a data page body: the definition levels when the column is optional.</summary>
    private void BeginDataPage(ReadOnlySpan<byte> levels)
    {
        _page.Reset();
        if (levels.IsEmpty) return;
        var lengthAt = _page.Reserve(4);
        RleBitPackedHybrid.Encode(levels, 1, _page);
        BinaryPrimitives.WriteInt32LittleEndian(_page.WrittenSpanMutable.Slice(lengthAt, 4), _page.Length - lengthAt - 4);
    }

    private void WritePage(PageType type, int numValues, PageEncoding encoding)
    {
        var body = _page.WrittenSpan;
        var compressed = _compressor.Compress(body);
        var header = new PageHeader
        {
            Type = type,
            UncompressedPageSize = body.Length,
            CompressedPageSize = compressed.Length,
            NumValues = numValues,
            Encoding = encoding,
        };
        _header.Reset();
        header.Write(_headerWriter);
        if (type == PageType.DictionaryPage) _dictionaryPageOffset = _output.Position;
        else if (_dataPageOffset < 0) _dataPageOffset = _output.Position;
        _output.Write(_header.WrittenSpan);
        _output.Write(compressed);
        _uncompressed += _header.Length + body.Length;
        _compressed += _header.Length + compressed.Length;
    }

    public void Dispose()
    {
        _page.Dispose();
        _header.Dispose();
        _scratch.Dispose();
    }
}
