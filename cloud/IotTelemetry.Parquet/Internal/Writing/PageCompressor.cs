using System.IO.Compression;
using IotTelemetry.Parquet.Internal.Format;

namespace IotTelemetry.Parquet.Internal.Writing;

/// <summary>Compresses a page body with the file's codec; the result is valid until the next call.</summary>
internal sealed class PageCompressor
{
    private readonly CompressionLevel _gzipLevel;
    private readonly MemoryStream _gzipOutput = new();

    public PageCompressor(ParquetCompression compression, CompressionLevel gzipLevel)
    {
        Codec = compression switch
        {
            ParquetCompression.Uncompressed => CompressionCodec.Uncompressed,
            ParquetCompression.Snappy => CompressionCodec.Snappy,
            ParquetCompression.Gzip => CompressionCodec.Gzip,
            _ => throw new ArgumentOutOfRangeException(nameof(compression), $"Expected a ParquetCompression, got {(int)compression}"),
        };
        _gzipLevel = gzipLevel;
    }

    public CompressionCodec Codec { get; }

    public ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> page)
    {
        switch (Codec)
        {
            case CompressionCodec.Snappy:
                return IronSnappy.Snappy.Encode(page);
            case CompressionCodec.Gzip:
                _gzipOutput.SetLength(0);
                using (var gzip = new GZipStream(_gzipOutput, _gzipLevel, leaveOpen: true)) gzip.Write(page);
                return _gzipOutput.GetBuffer().AsSpan(0, (int)_gzipOutput.Length);
            default:
                return page;
        }
    }
}
