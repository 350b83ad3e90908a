using IotTelemetry.Parquet.Internal.Encodings;
using IotTelemetry.Parquet.Internal.Format;

namespace IotTelemetry.Parquet.Internal.Writing;

/// <summary>Writes a row group: its column chunks one after another, in schema order.</summary>
internal sealed class RowGroupWriter : IDisposable
{
    private readonly FileOutput _output;
    private readonly ColumnChunkWriter _columnWriter;
    private readonly StringDictionary?[] _dictionaries;

    public RowGroupWriter(FileOutput output, ParquetSchema schema, ParquetWriterOptions options, PageCompressor compressor)
    {
        _output = output;
        _columnWriter = new ColumnChunkWriter(output, options, compressor);
        _dictionaries = new StringDictionary?[schema.Count];
        if (options.UseDictionary)
            for (var i = 0; i < schema.Count; i++)
                if (schema[i].Type == ParquetColumnType.String) _dictionaries[i] = new StringDictionary();
    }

    public RowGroup Write(IReadOnlyList<ParquetColumn> columns, int rowCount, short? ordinal)
    {
        var group = new RowGroup
        {
            NumRows = rowCount,
            FileOffset = _output.Position,
            Ordinal = ordinal,
            Columns = new List<ColumnChunk>(columns.Count),
        };
        long uncompressed = 0, compressed = 0;
        for (var i = 0; i < columns.Count; i++)
        {
            var chunk = _columnWriter.Write(columns[i], _dictionaries[i]);
            uncompressed += chunk.MetaData.TotalUncompressedSize;
            compressed += chunk.MetaData.TotalCompressedSize;
            group.Columns.Add(chunk);
        }
        group.TotalByteSize = uncompressed;
        group.TotalCompressedSize = compressed;
        return group;
    }

    public void Dispose()
    {
        _columnWriter.Dispose();
        foreach (var dictionary in _dictionaries) dictionary?.Dispose();
    }
}
