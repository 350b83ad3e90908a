namespace IotTelemetry.Parquet.Internal.Writing;

/// <summary>The output stream with the count of bytes written: offsets in the footer are positions here.</summary>
internal sealed class FileOutput
{
    private readonly Stream _stream;

    public FileOutput(Stream stream) => _stream = stream;

    /// <summary>Bytes written since the writer started (the file offset of the next byte).</summary>
    public long Position { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        Position += bytes.Length;
    }

    public void Flush() => _stream.Flush();
}
