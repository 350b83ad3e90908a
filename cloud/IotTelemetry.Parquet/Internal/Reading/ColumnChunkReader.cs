using System.Buffers;
using System.Buffers.Binary;
using IotTelemetry.Parquet.Internal.Encodings;
using IotTelemetry.Parquet.Internal.Format;
using IotTelemetry.Parquet.Internal.Thrift;

namespace IotTelemetry.Parquet.Internal.Reading;

/// <summary>
/// Reads one column chunk back into a column buffer: page headers, decompression, the dictionary page,
/// definition levels and PLAIN or dictionary-index values of data pages v1.
/// </summary>
internal static class ColumnChunkReader
{
    public static ParquetColumn Read(ReadOnlySpan<byte> chunk, ColumnMetaData meta, ParquetField field)
    {
        if (meta.NumValues > int.MaxValue)
            throw new ParquetFormatException($"Expected at most {int.MaxValue} values in column '{field.Name}', got {meta.NumValues}");
        var total = (int)meta.NumValues;
        var column = ParquetColumn.Create(field, total);
        object? dictionary = null;
        var position = 0;
        while (column.Count < total)
        {
            if (position >= chunk.Length)
                throw new ParquetFormatException($"Expected {total} values in column '{field.Name}', but its pages end after {column.Count}");
            var reader = new CompactReader(chunk[position..]);
            var header = PageHeader.Read(ref reader);
            position += reader.Position;
            if (header.CompressedPageSize < 0 || header.CompressedPageSize > chunk.Length - position)
                throw new ParquetFormatException($"Expected a page body of at most {chunk.Length - position} bytes in column '{field.Name}', got {header.CompressedPageSize}");
            var body = chunk.Slice(position, header.CompressedPageSize);
            position += header.CompressedPageSize;
            switch (header.Type)
            {
                case PageType.DictionaryPage:
                    dictionary = ReadDictionary(PageDecompressor.Decompress(meta.Codec, body, header.UncompressedPageSize), header, field);
                    break;
                case PageType.DataPage:
                    if (header.NumValues < 0 || header.NumValues > total - column.Count)
                        throw new ParquetFormatException($"Expected at most {total - column.Count} more values in column '{field.Name}', got a page of {header.NumValues}");
                    ReadDataPage(PageDecompressor.Decompress(meta.Codec, body, header.UncompressedPageSize), header, column, dictionary);
                    break;
                case PageType.DataPageV2:
                    throw new ParquetFormatException($"Expected data pages v1 in column '{field.Name}', got DATA_PAGE_V2");
                default:
                    break; // index pages carry nothing needed here
            }
        }
        return column;
    }

    private static object ReadDictionary(ReadOnlySpan<byte> data, PageHeader header, ParquetField field)
    {
        if (header.Encoding is not (PageEncoding.Plain or PageEncoding.PlainDictionary))
            throw new ParquetFormatException($"Expected a PLAIN dictionary page in column '{field.Name}', got encoding {header.Encoding}");
        var count = header.NumValues;
        return field.Type switch
        {
            ParquetColumnType.String => PlainDecoder.ReadStrings(data, count),
            ParquetColumnType.Timestamp or ParquetColumnType.Int64 => PlainDecoder.ReadFixed<long, Int64Codec>(data, count),
            ParquetColumnType.Int32 => PlainDecoder.ReadFixed<int, Int32Codec>(data, count),
            ParquetColumnType.Double => PlainDecoder.ReadFixed<double, DoubleCodec>(data, count),
            _ => throw new ParquetFormatException($"Expected no dictionary for BOOLEAN column '{field.Name}', got one"),
        };
    }

    private static void ReadDataPage(ReadOnlySpan<byte> data, PageHeader header, ParquetColumn column, object? dictionary)
    {
        var count = header.NumValues;
        var field = column.Field;
        int[]? levels = null;
        try
        {
            var present = count;
            if (field.IsNullable)
            {
                if (header.DefinitionLevelEncoding != PageEncoding.Rle)
                    throw new ParquetFormatException($"Expected RLE definition levels in column '{field.Name}', got {header.DefinitionLevelEncoding}");
                if (data.Length < 4)
                    throw new ParquetFormatException($"Expected a 4-byte definition level length in column '{field.Name}', got {data.Length} bytes");
                var length = BinaryPrimitives.ReadInt32LittleEndian(data);
                if (length < 0 || length > data.Length - 4)
                    throw new ParquetFormatException($"Expected definition levels of at most {data.Length - 4} bytes in column '{field.Name}', got {length}");
                levels = ArrayPool<int>.Shared.Rent(Math.Max(1, count));
                RleBitPackedHybrid.Decode(data.Slice(4, length), 1, levels.AsSpan(0, count));
                present = 0;
                for (var i = 0; i < count; i++)
                {
                    if (levels[i] > 1)
                        throw new ParquetFormatException($"Expected definition levels 0 or 1 in column '{field.Name}', got {levels[i]}");
                    present += levels[i];
                }
                data = data[(4 + length)..];
            }
            var defined = levels is null ? default : levels.AsSpan(0, count);
            switch (column)
            {
                case ParquetValueColumn<long> c:
                    Append(c, defined, count, Values<long, Int64Codec>(data, header, present, dictionary, field));
                    break;
                case ParquetValueColumn<int> c:
                    Append(c, defined, count, Values<int, Int32Codec>(data, header, present, dictionary, field));
                    break;
                case ParquetValueColumn<double> c:
                    Append(c, defined, count, Values<double, DoubleCodec>(data, header, present, dictionary, field));
                    break;
                case ParquetValueColumn<bool> c:
                    if (header.Encoding != PageEncoding.Plain)
                        throw new ParquetFormatException($"Expected PLAIN booleans in column '{field.Name}', got {header.Encoding}");
                    Append(c, defined, count, PlainDecoder.ReadBooleans(data, present));
                    break;
                case StringColumn c:
                    var strings = header.Encoding == PageEncoding.Plain
                        ? PlainDecoder.ReadStrings(data, present)
                        : Lookup(data, header, present, dictionary as string[], field);
                    var next = 0;
                    for (var i = 0; i < count; i++) c.Add(defined.IsEmpty || defined[i] != 0 ? strings[next++] : null);
                    break;
            }
        }
        finally
        {
            if (levels is not null) ArrayPool<int>.Shared.Return(levels);
        }
    }

    private static T[] Values<T, TCodec>(ReadOnlySpan<byte> data, PageHeader header, int present, object? dictionary, ParquetField field)
        where T : unmanaged
        where TCodec : IPlainCodec<T>
        => header.Encoding == PageEncoding.Plain
            ? PlainDecoder.ReadFixed<T, TCodec>(data, present)
            : Lookup(data, header, present, dictionary as T[], field);

    private static T[] Lookup<T>(ReadOnlySpan<byte> data, PageHeader header, int present, T[]? dictionary, ParquetField field)
    {
        if (header.Encoding is not (PageEncoding.RleDictionary or PageEncoding.PlainDictionary))
            throw new ParquetFormatException($"Expected PLAIN or RLE_DICTIONARY values in column '{field.Name}', got {header.Encoding}");
        if (dictionary is null)
            throw new ParquetFormatException($"Expected a dictionary page before the dictionary-encoded data of column '{field.Name}', got none");
        var values = new T[present];
        if (present == 0) return values;
        if (data.IsEmpty) throw new ParquetFormatException($"Expected a bit width byte in column '{field.Name}', got an empty page");
        var indices = ArrayPool<int>.Shared.Rent(present);
        try
        {
            RleBitPackedHybrid.Decode(data[1..], data[0], indices.AsSpan(0, present));
            for (var i = 0; i < present; i++)
            {
                var index = indices[i];
                if ((uint)index >= (uint)dictionary.Length)
                    throw new ParquetFormatException($"Expected dictionary indices below {dictionary.Length} in column '{field.Name}', got {index}");
                values[i] = dictionary[index];
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(indices);
        }
        return values;
    }

    private static void Append<T>(ParquetValueColumn<T> column, ReadOnlySpan<int> defined, int count, T[] values) where T : unmanaged
    {
        if (defined.IsEmpty)
        {
            column.AddRange(values);
            return;
        }
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            if (defined[i] != 0) column.Add(values[next++]);
            else column.AddNull();
        }
    }
}
