using ParquetSharp;
using ParquetSharp.IO;

namespace IotTelemetry.Lake;

/// <summary>One lake file opened for reading row group by row group; the constructor fails on a file without the lake's columns.</summary>
public sealed class LakeFileReader : IDisposable
{
    private readonly ParquetFileReader _file;
    private readonly ManagedRandomAccessFile? _input;

    public LakeFileReader(string path) : this(new ParquetFileReader(path), null, path)
    {
    }

    /// <summary>
    /// Reads through a seekable stream (a store's <see cref="ILakeStore.OpenRead"/>): ParquetSharp reads the footer first and
    /// then only the column chunks asked for, so a row count or one row group does not fetch the whole object.
    /// </summary>
    public LakeFileReader(Stream stream, string name) : this(Open(stream, out var input), input, name)
    {
    }

    private static ParquetFileReader Open(Stream stream, out ManagedRandomAccessFile input)
    {
        input = new ManagedRandomAccessFile(stream, leaveOpen: false);
        try { return new ParquetFileReader(input); }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    private LakeFileReader(ParquetFileReader file, ManagedRandomAccessFile? input, string path)
    {
        _file = file;
        _input = input;
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
            _input?.Dispose();
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

    private static T[] Fixed<T>(RowGroupReader group, int column, int n) where T : unmanaged => ParquetColumns.Values<T>(group, column, n);

    private static string[] Text(RowGroupReader group, int column, int n) => ParquetColumns.Strings(group, column, n);

    public void Dispose()
    {
        _file.Close();
        _file.Dispose();
        _input?.Dispose();
    }
}
