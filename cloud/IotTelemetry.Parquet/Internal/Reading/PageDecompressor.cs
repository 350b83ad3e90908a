using System.IO.Compression;
using IotTelemetry.Parquet.Internal.Format;

namespace IotTelemetry.Parquet.Internal.Reading;

/// <summary>Restores a page body to its uncompressed bytes and checks the size the header promised.</summary>
internal static class PageDecompressor
{
    public static ReadOnlySpan<byte> Decompress(CompressionCodec codec, ReadOnlySpan<byte> body, int uncompressedSize)
    {
        byte[] result;
        switch (codec)
        {
            case CompressionCodec.Uncompressed:
                if (body.Length != uncompressedSize)
                    throw new ParquetFormatException($"Expected an uncompressed page of {uncompressedSize} bytes, got {body.Length}");
                return body;
            case CompressionCodec.Snappy:
                try
                {
                    result = IronSnappy.Snappy.Decode(body);
                }
                catch (Exception e) when (e is not ParquetFormatException)
                {
                    throw new ParquetFormatException($"Expected a Snappy page of {body.Length} bytes, got undecodable data: {e.Message}", e);
                }
                break;
            case CompressionCodec.Gzip:
                result = new byte[uncompressedSize];
                try
                {
                    using var input = new MemoryStream(body.ToArray(), writable: false);
                    using var gzip = new GZipStream(input, CompressionMode.Decompress);
                    gzip.ReadExactly(result);
                }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
                {
                    throw new ParquetFormatException($"Expected a GZIP page inflating to {uncompressedSize} bytes, got: {e.Message}", e);
                }
                return result;
            default:
                throw new ParquetFormatException($"Expected codec UNCOMPRESSED, SNAPPY or GZIP, got {(int)codec}");
        }
        if (result.Length != uncompressedSize)
            throw new ParquetFormatException($"Expected a page of {uncompressedSize} bytes after decompression, got {result.Length}");
        return result;
    }
}
