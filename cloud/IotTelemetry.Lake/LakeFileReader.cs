using ParquetSharp;

namespace IotTelemetry.Lake;

/// <summary>One lake file opened for reading row group by row group; the constructor fails on a file without the lake's columns.</summary>
public sealed class LakeFileReader : IDisposable
{
    private readonly ParquetFileReader _file;

    public LakeFileReader(string path)
    {
        _file = new ParquetFileReader(path);
        try
        {
            var meta = _file.FileMetaData;
            LakeParquet.CheckSchema(path, meta.Schema);
            RowCount = meta.NumRows;
            RowGroupCount = meta.NumRowGroups;
            Metadata = meta.KeyValueMetadata;
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    public long RowCount { get; }
    public int RowGroupCount { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Appends the rows of row group <paramref name="index"/> to <paramref name="into"/>.</summary>
    public void ReadRowGroup(int index, LakeRows into)
    {
        ArgumentNullException.ThrowIfNull(into);
        using var group = _file.RowGroup(index);
        var n = checked((int)group.MetaData.NumRows);
        into.AddColumns(Fixed<long>(group, 0, n), Text(group, 1, n), Text(group, 2, n), Fixed<double>(group, 3, n), Text(group, 4, n),
            Text(group, 5, n), Text(group, 6, n), Fixed<long>(group, 7, n), Fixed<int>(group, 8, n), Fixed<long>(group, 9, n));
    }

    private static T[] Fixed<T>(RowGroupReader group, int column, int n) where T : unmanaged
    {
        using var reader = group.Column(column);
        using var logical = reader.LogicalReaderOverride<T>(); // timestamps as their INT64 microseconds
        return logical.ReadAll(n);
    }

    private static string[] Text(RowGroupReader group, int column, int n)
    {
        using var reader = group.Column(column);
        using var logical = reader.LogicalReader<string>();
        return logical.ReadAll(n);
    }

    public void Dispose()
    {
        _file.Close();
        _file.Dispose();
    }
}
