using System.Buffers.Binary;
using IotTelemetry.Parquet.Internal;
using IotTelemetry.Parquet.Internal.Format;
using IotTelemetry.Parquet.Internal.Thrift;
using IotTelemetry.Parquet.Internal.Writing;

namespace IotTelemetry.Parquet;

/// <summary>
/// Writes one Parquet file to a stream, front to back: the magic <c>PAR1</c>, then each row group as it
/// is handed over (its column chunks in schema order, each a dictionary page and/or data pages v1),
/// and on <see cref="Complete"/> the footer (FileMetaData in Thrift compact protocol), its 4-byte
/// length and <c>PAR1</c>. The stream need not be seekable; offsets count from where writing started.
/// </summary>
/// <remarks>
/// Typical use by a sink:
/// <code>
/// using var writer = new ParquetWriter(stream, schema, options);
/// var rows = new ParquetRowBuffer(schema);
/// var time = rows.Column&lt;TimestampColumn&gt;(0); var value = rows.Column&lt;DoubleColumn&gt;(1);
/// foreach (var r in readings) { time.Add(r.TimestampMicros); value.Add(r.Value); writer.WriteRowGroupIfFull(rows); }
/// writer.WriteRowGroup(rows);
/// writer.SetMetadata("kafka.offsets", "...");
/// writer.Complete();            // footer written: the file is now valid
/// </code>
/// Disposing without <see cref="Complete"/> leaves a file without a footer that no reader accepts,
/// which is what a crashed or abandoned write should look like. Dispose never throws.
/// </remarks>
public sealed class ParquetWriter : IDisposable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly Stream _stream;
    private readonly FileOutput _output;
    private readonly ParquetWriterOptions _options;
    private readonly RowGroupWriter _rowGroupWriter;
    private readonly List<RowGroup> _rowGroups = [];
    private readonly List<KeyValuePair<string, string?>> _metadata = [];
    private State _state;

    private enum State { Open, Completed, Faulted, Disposed }

    /// <summary>
    /// Starts a file on <paramref name="output"/> (writes the leading magic). The writer owns the stream
    /// (see <see cref="ParquetWriterOptions.LeaveOpen"/>) once the options have been validated.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the stream is left untouched.</exception>
    public ParquetWriter(Stream output, ParquetSchema schema, ParquetWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        if (!output.CanWrite) throw new ArgumentException("Expected a writable stream, got a read-only one", nameof(output));
        _options = options ?? new ParquetWriterOptions();
        _options.Validate();
        _stream = output;
        Schema = schema;
        _output = new FileOutput(output);
        if (_options.KeyValueMetadata is not null)
            foreach (var (key, value) in _options.KeyValueMetadata) SetMetadata(key, value);
        _rowGroupWriter = new RowGroupWriter(_output, schema, _options, new PageCompressor(_options.Compression, _options.GzipLevel));
        try
        {
            _output.Write(Magic);
        }
        catch
        {
            Dispose(); // the stream is owned from here on (unless LeaveOpen): do not leak it
            throw;
        }
    }

    /// <summary>The file's schema.</summary>
    public ParquetSchema Schema { get; }

    /// <summary>Rows written in complete row groups.</summary>
    public long RowCount { get; private set; }

    /// <summary>Row groups written.</summary>
    public int RowGroupCount => _rowGroups.Count;

    /// <summary>Bytes written to the stream so far (the file size once complete).</summary>
    public long BytesWritten => _output.Position;

    /// <summary>True once <see cref="Complete"/> has written the footer.</summary>
    public bool IsCompleted => _state == State.Completed;

    /// <summary>Sets (or replaces) a footer key/value pair; allowed until <see cref="Complete"/>.</summary>
    public void SetMetadata(string key, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (_state != State.Open) throw NotOpen();
        for (var i = 0; i < _metadata.Count; i++)
        {
            if (_metadata[i].Key != key) continue;
            _metadata[i] = new(key, value);
            return;
        }
        _metadata.Add(new(key, value));
    }

    /// <summary>Writes the buffered rows as one row group (nothing for zero rows). The buffer is left as it is.</summary>
    public void WriteRowGroup(ParquetRowBuffer rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        WriteRowGroup(rows.Columns);
    }

    /// <summary>
    /// When the buffered rows' estimated size has reached <see cref="ParquetWriterOptions.RowGroupTargetBytes"/>,
    /// writes them as a row group, clears the buffer and returns true; otherwise returns false.
    /// </summary>
    public bool WriteRowGroupIfFull(ParquetRowBuffer rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.EstimatedBytes < _options.RowGroupTargetBytes) return false;
        WriteRowGroup(rows.Columns);
        rows.Clear();
        return true;
    }

    /// <summary>
    /// Writes one row group from column buffers, one per schema field in schema order, all with the same
    /// row count (nothing is written for zero rows).
    /// </summary>
    /// <exception cref="ArgumentException">The columns do not match the schema or differ in length.</exception>
    public void WriteRowGroup(IReadOnlyList<ParquetColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (_state != State.Open) throw NotOpen();
        if (columns.Count != Schema.Count)
            throw new ArgumentException($"Expected {Schema.Count} columns, got {columns.Count}", nameof(columns));
        var rowCount = columns[0].Count;
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i] ?? throw new ArgumentException($"Expected a column at position {i}, got null", nameof(columns));
            if (column.Field != Schema[i])
                throw new ArgumentException($"Expected column {i} to be '{Schema[i]}', got '{column.Field}'", nameof(columns));
            if (column.Count != rowCount)
                throw new ArgumentException($"Expected {rowCount} rows in '{column.Field.Name}' (as in '{columns[0].Field.Name}'), got {column.Count}", nameof(columns));
        }
        if (rowCount == 0) return;
        Run(() =>
        {
            var ordinal = _rowGroups.Count <= short.MaxValue ? (short?)_rowGroups.Count : null;
            _rowGroups.Add(_rowGroupWriter.Write(columns, rowCount, ordinal));
            RowCount += rowCount;
        });
    }

    /// <summary>
    /// Writes the footer and flushes the stream: after this the file is valid. Call exactly once; any
    /// later write throws.
    /// </summary>
    public void Complete()
    {
        if (_state != State.Open) throw NotOpen();
        var metadata = new FileMetaData
        {
            Version = 1,
            Schema = SchemaMapping.ToElements(Schema),
            NumRows = RowCount,
            RowGroups = _rowGroups,
            KeyValueMetadata = _metadata,
            CreatedBy = _options.CreatedBy,
            ColumnOrderCount = Schema.Count,
        };
        Run(() =>
        {
            using var footer = new PooledBuffer(4096);
            metadata.Write(new CompactWriter(footer));
            _output.Write(footer.WrittenSpan);
            Span<byte> tail = stackalloc byte[8];
            BinaryPrimitives.WriteInt32LittleEndian(tail, footer.Length);
            Magic.CopyTo(tail[4..]);
            _output.Write(tail);
            _output.Flush();
        });
        _state = State.Completed;
    }

    /// <summary>Releases buffers and, unless <see cref="ParquetWriterOptions.LeaveOpen"/>, the stream. Never throws.</summary>
    public void Dispose()
    {
        if (_state == State.Disposed) return;
        _state = State.Disposed;
        try
        {
            _rowGroupWriter.Dispose();
            if (!_options.LeaveOpen) _stream.Dispose();
        }
        catch (Exception)
        {
            // Dispose must not throw: a failing stream was already reported by the write that failed,
            // and an incomplete file is recognisable by its missing footer.
        }
    }

    private void Run(Action write)
    {
        try
        {
            write();
        }
        catch
        {
            _state = State.Faulted;
            throw;
        }
    }

    private InvalidOperationException NotOpen() => _state switch
    {
        State.Completed => new InvalidOperationException("Expected an open writer, got one already completed"),
        State.Faulted => new InvalidOperationException("Expected an open writer, got one that failed in an earlier write"),
        _ => new ObjectDisposedException(nameof(ParquetWriter)),
    };
}
