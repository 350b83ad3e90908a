namespace IotTelemetry.Parquet.Internal.Format;

// The enums of parquet.thrift that this library writes or reads, with the format's numbers.

internal enum PhysicalType
{
    Boolean = 0,
    Int32 = 1,
    Int64 = 2,
    Int96 = 3,
    Float = 4,
    Double = 5,
    ByteArray = 6,
    FixedLenByteArray = 7,
}

internal enum ConvertedType
{
    Utf8 = 0,
    TimestampMillis = 9,
    TimestampMicros = 10,
}

internal enum FieldRepetition
{
    Required = 0,
    Optional = 1,
    Repeated = 2,
}

internal enum PageEncoding
{
    Plain = 0,
    PlainDictionary = 2,
    Rle = 3,
    BitPacked = 4,
    RleDictionary = 8,
}

internal enum CompressionCodec
{
    Uncompressed = 0,
    Snappy = 1,
    Gzip = 2,
}

internal enum PageType
{
    DataPage = 0,
    IndexPage = 1,
    DictionaryPage = 2,
    DataPageV2 = 3,
}

/// <summary>Which member of the LogicalType union a schema element carries (only those this library uses).</summary>
internal enum LogicalKind
{
    None = 0,
    String = 1,
    Timestamp = 8,
    Other = -1,
}

/// <summary>The TimeUnit union's members.</summary>
internal enum TimeUnit
{
    None = 0,
    Millis = 1,
    Micros = 2,
    Nanos = 3,
}
