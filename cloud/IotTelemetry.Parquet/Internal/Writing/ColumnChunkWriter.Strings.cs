using System.Buffers;
using IotTelemetry.Parquet.Internal.Encodings;
using IotTelemetry.Parquet.Internal.Format;

namespace IotTelemetry.Parquet.Internal.Writing;

// String chunks: a PLAIN dictionary page and RLE_DICTIONARY data pages, or PLAIN pages when the
// dictionary passes its size limit (or dictionaries are off).
internal sealed partial class ColumnChunkWriter
{
    private bool TryWriteDictionaryEncoded(StringColumn column, StringDictionary dictionary)
    {
        var values = column.Values;
        var nonNull = values.Length - column.NullCount;
        var indices = ArrayPool<int>.Shared.Rent(Math.Max(1, nonNull));
        byte[]? levels = null;
        try
        {
            if (!dictionary.TryBuild(values, _options.DictionaryPageLimitBytes, indices)) return false;
            if (dictionary.Count == 0) return false; // all null: nothing to put in a dictionary

            _page.Reset();
            _page.Write(dictionary.PlainBytes);
            WritePage(PageType.DictionaryPage, dictionary.Count, PageEncoding.Plain);

            var bitWidth = Math.Max(1, RleBitPackedHybrid.BitWidth(dictionary.Count - 1));
            var rowsPerPage = (int)Math.Clamp(_options.DataPageTargetBytes * 8L / bitWidth, 8, int.MaxValue / 2);
            if (column.Field.IsNullable) levels = ArrayPool<byte>.Shared.Rent(Math.Min(rowsPerPage, values.Length));
            var row = 0;
            var index = 0;
            do
            {
                var count = Math.Min(rowsPerPage, values.Length - row);
                var pageValues = values.Slice(row, count);
                var present = count;
                if (levels is not null)
                {
                    present = 0;
                    for (var i = 0; i < count; i++)
                    {
                        var isValue = pageValues[i] is not null;
                        levels[i] = isValue ? (byte)1 : (byte)0;
                        if (isValue) present++;
                    }
                }
                BeginDataPage(levels is null ? default : levels.AsSpan(0, count));
                _page.WriteByte((byte)bitWidth);
                RleBitPackedHybrid.Encode<int>(indices.AsSpan(index, present), bitWidth, _page);
                WritePage(PageType.DataPage, count, PageEncoding.RleDictionary);
                row += count;
                index += present;
            } while (row < values.Length);
            return true;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(indices);
            if (levels is not null) ArrayPool<byte>.Shared.Return(levels);
        }
    }

    private void WritePlainStrings(StringColumn column)
    {
        var values = column.Values;
        var nullable = column.Field.IsNullable;
        var target = _options.DataPageTargetBytes;
        var row = 0;
        var levels = nullable ? new byte[Math.Min(values.Length, 4096)] : null;
        do
        {
            // The page ends where its values reach the target size, so they are encoded first.
            var start = row;
            _scratch.Reset();
            while (row < values.Length && _scratch.Length < target)
            {
                if (values[row] is { } value) PlainEncoder.WriteString(value, _scratch);
                row++;
            }
            var count = row - start;
            if (levels is not null)
            {
                if (levels.Length < count) levels = new byte[count];
                for (var i = 0; i < count; i++) levels[i] = values[start + i] is null ? (byte)0 : (byte)1;
            }
            BeginDataPage(levels is null ? default : levels.AsSpan(0, count));
            _page.Write(_scratch.WrittenSpan);
            WritePage(PageType.DataPage, count, PageEncoding.Plain);
        } while (row < values.Length);
    }
}
