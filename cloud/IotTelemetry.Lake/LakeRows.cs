namespace IotTelemetry.Lake;

/// <summary>
/// Rows of the lake schema held column by column (one array per column), so a file is written with one
/// <c>WriteBatch</c> per column and row group instead of a call per value.
/// </summary>
public sealed class LakeRows(int capacity = 1024)
{
    /// <summary>Bytes a row takes in memory besides its strings: time, value, ingest_time, kafka_offset (8 each), kafka_partition (4).</summary>
    public const int FixedBytesPerRow = 8 + 8 + 8 + 8 + 4;

    private long[] _time = new long[capacity];
    private string[] _asset = new string[capacity];
    private string[] _sensor = new string[capacity];
    private double[] _value = new double[capacity];
    private string[] _quality = new string[capacity];
    private string[] _unit = new string[capacity];
    private string[] _source = new string[capacity];
    private long[] _ingest = new long[capacity];
    private int[] _kafkaPartition = new int[capacity];
    private long[] _kafkaOffset = new long[capacity];

    public int Count { get; private set; }

    /// <summary>Characters in the string columns (about their UTF-8 bytes for the ASCII names plants use).</summary>
    public long StringChars { get; private set; }

    /// <summary>The rows' uncompressed size, as row groups are cut by it.</summary>
    public long EstimatedBytes => Count * (long)FixedBytesPerRow + StringChars;

    public ReadOnlySpan<long> TimeMicros => _time.AsSpan(0, Count);
    public ReadOnlySpan<string> Asset => _asset.AsSpan(0, Count);
    public ReadOnlySpan<string> Sensor => _sensor.AsSpan(0, Count);
    public ReadOnlySpan<double> Value => _value.AsSpan(0, Count);
    public ReadOnlySpan<string> Quality => _quality.AsSpan(0, Count);
    public ReadOnlySpan<string> Unit => _unit.AsSpan(0, Count);
    public ReadOnlySpan<string> Source => _source.AsSpan(0, Count);
    public ReadOnlySpan<long> IngestTimeMicros => _ingest.AsSpan(0, Count);
    public ReadOnlySpan<int> KafkaPartition => _kafkaPartition.AsSpan(0, Count);
    public ReadOnlySpan<long> KafkaOffset => _kafkaOffset.AsSpan(0, Count);

    public void Add(long timeMicros, string asset, string sensor, double value, string quality, string unit, string source,
        long ingestTimeMicros, int kafkaPartition, long kafkaOffset)
    {
        if (Count == _time.Length) Grow(Count + 1);
        var i = Count++;
        _time[i] = timeMicros;
        _asset[i] = asset;
        _sensor[i] = sensor;
        _value[i] = value;
        _quality[i] = quality;
        _unit[i] = unit;
        _source[i] = source;
        _ingest[i] = ingestTimeMicros;
        _kafkaPartition[i] = kafkaPartition;
        _kafkaOffset[i] = kafkaOffset;
        StringChars += asset.Length + sensor.Length + quality.Length + unit.Length + source.Length;
    }

    /// <summary>Appends every row of <paramref name="other"/>.</summary>
    public void AddRange(LakeRows other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Grow(Count + other.Count);
        other.TimeMicros.CopyTo(_time.AsSpan(Count));
        other.Asset.CopyTo(_asset.AsSpan(Count));
        other.Sensor.CopyTo(_sensor.AsSpan(Count));
        other.Value.CopyTo(_value.AsSpan(Count));
        other.Quality.CopyTo(_quality.AsSpan(Count));
        other.Unit.CopyTo(_unit.AsSpan(Count));
        other.Source.CopyTo(_source.AsSpan(Count));
        other.IngestTimeMicros.CopyTo(_ingest.AsSpan(Count));
        other.KafkaPartition.CopyTo(_kafkaPartition.AsSpan(Count));
        other.KafkaOffset.CopyTo(_kafkaOffset.AsSpan(Count));
        Count += other.Count;
        StringChars += other.StringChars;
    }

    /// <summary>Takes whole columns read from a file (all of equal length).</summary>
    internal void AddColumns(long[] time, string[] asset, string[] sensor, double[] value, string[] quality, string[] unit, string[] source,
        long[] ingest, int[] kafkaPartition, long[] kafkaOffset)
    {
        var n = time.Length;
        Grow(Count + n);
        time.CopyTo(_time, Count);
        asset.CopyTo(_asset, Count);
        sensor.CopyTo(_sensor, Count);
        value.CopyTo(_value, Count);
        quality.CopyTo(_quality, Count);
        unit.CopyTo(_unit, Count);
        source.CopyTo(_source, Count);
        ingest.CopyTo(_ingest, Count);
        kafkaPartition.CopyTo(_kafkaPartition, Count);
        kafkaOffset.CopyTo(_kafkaOffset, Count);
        for (var i = 0; i < n; i++) StringChars += asset[i].Length + sensor[i].Length + quality[i].Length + unit[i].Length + source[i].Length;
        Count += n;
    }

    /// <summary>Empties the buffer, keeping its arrays for the next rows.</summary>
    public void Clear()
    {
        Array.Clear(_asset, 0, Count);
        Array.Clear(_sensor, 0, Count);
        Array.Clear(_quality, 0, Count);
        Array.Clear(_unit, 0, Count);
        Array.Clear(_source, 0, Count);
        Count = 0;
        StringChars = 0;
    }

    private void Grow(int needed)
    {
        if (needed <= _time.Length) return;
        var size = Math.Max(needed, _time.Length * 2);
        Array.Resize(ref _time, size);
        Array.Resize(ref _asset, size);
        Array.Resize(ref _sensor, size);
        Array.Resize(ref _value, size);
        Array.Resize(ref _quality, size);
        Array.Resize(ref _unit, size);
        Array.Resize(ref _source, size);
        Array.Resize(ref _ingest, size);
        Array.Resize(ref _kafkaPartition, size);
        Array.Resize(ref _kafkaOffset, size);
    }
}
