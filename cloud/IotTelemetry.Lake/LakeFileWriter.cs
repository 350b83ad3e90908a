using ParquetSharp;

namespace IotTelemetry.Lake;

/// <summary>
/// One lake file being written: rows go in as whole column arrays (one <c>WriteBatch</c> per column and row group),
/// cut into row groups of about the target size; <see cref="Complete"/> writes the footer and fsyncs the file.
/// </summary>
public sealed class LakeFileWriter : IDisposable
{
    private readonly string _path;
    private readonly long _rowGroupTargetBytes;
    private readonly ParquetFileWriter _file;
    private bool _completed;

    public LakeFileWriter(string path, Compression compression, long rowGroupTargetBytes, IReadOnlyDictionary<string, string> metadata)
    {
        _path = path;
        _rowGroupTargetBytes = rowGroupTargetBytes;
        _file = new ParquetFileWriter(path, LakeParquet.Schema, LakeParquet.Properties(compression), metadata);
    }

    public long RowCount { get; private set; }

    /// <summary>Writes <paramref name="rows"/> as row groups of about the target size (the last one may be smaller).</summary>
    public void Write(LakeRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var perGroup = LakeParquet.RowsPerGroup(rows, _rowGroupTargetBytes);
        for (var start = 0; start < rows.Count; start += perGroup)
        {
            var n = Math.Min(perGroup, rows.Count - start);
            WriteGroup(_file, rows, start, n);
            RowCount += n;
        }
    }

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="n"/> as one new row group of <paramref name="file"/>.</summary>
    internal static void WriteGroup(ParquetFileWriter file, LakeRows rows, int start, int n)
    {
        using var group = file.AppendRowGroup();
        Physical(group, rows.TimeMicros.Slice(start, n));
        Strings(group, rows.Asset.Slice(start, n));
        Strings(group, rows.Sensor.Slice(start, n));
        Physical(group, rows.Value.Slice(start, n));
        Strings(group, rows.Quality.Slice(start, n));
        Strings(group, rows.Unit.Slice(start, n));
        Strings(group, rows.Source.Slice(start, n));
        Physical(group, rows.IngestTimeMicros.Slice(start, n));
        Physical(group, rows.KafkaPartition.Slice(start, n));
        Physical(group, rows.KafkaOffset.Slice(start, n));
    }

    /// <summary>Writes the footer, closes the file and fsyncs it.</summary>
    public void Complete()
    {
        _file.Close();
        _completed = true;
        using var written = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        written.Flush(flushToDisk: true);
    }

    /// <summary>Fixed-width values straight into the column (timestamps as their INT64 microseconds).</summary>
    private static void Physical<T>(RowGroupWriter group, ReadOnlySpan<T> values) where T : unmanaged
    {
        using var column = (ColumnWriter<T>)group.NextColumn();
        column.WriteBatch(values);
    }

    private static void Strings(RowGroupWriter group, ReadOnlySpan<string> values)
    {
        using var column = group.NextColumn();
        using var writer = column.LogicalWriter<string>();
        writer.WriteBatch(values);
    }

    public void Dispose()
    {
        if (!_completed)
        {
            try { _file.Close(); } catch (ParquetException) { } // an incomplete file: the caller deletes or overwrites its temporary name
        }
        _file.Dispose(); // the schema and properties are shared by every lake file (LakeParquet) and stay
    }
}
