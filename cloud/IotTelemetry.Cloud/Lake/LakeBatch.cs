using IotTelemetry.Common.Readings;
using IotTelemetry.Lake;
using IotTelemetry.Lake.Lineage;

namespace IotTelemetry.Cloud.Lake;

/// <summary>Readings of one Kafka partition since its last file, grouped by the event-time partition they belong to.</summary>
public sealed class LakeBatch(string topic, int partition)
{
    public string Topic { get; } = topic;
    public int Partition { get; } = partition;
    public long FirstOffset { get; private set; } = -1;
    public long LastOffset { get; private set; } = -1;
    public long FirstEventMicros { get; private set; }
    public int Rows { get; private set; }
    public long Bytes { get; private set; }
    /// <summary>
    /// When the last record was added, as <see cref="Environment.TickCount64"/>: read per record, and a tick count costs a
    /// fraction of <see cref="DateTime.UtcNow"/> (which showed in the sink's profile).
    /// </summary>
    private long _lastAppendTicks = Environment.TickCount64;

    /// <summary>How long no record has been added (wall clock, for <c>Lake:IdleFlush</c>).</summary>
    public TimeSpan IdleFor => TimeSpan.FromMilliseconds(Environment.TickCount64 - _lastAppendTicks);
    public Dictionary<LakePartition, LakeRows> Buffers { get; } = [];

    /// <summary>Buffers of written files, emptied, for the next files: a batch's columns are not grown again from scratch each time.</summary>
    private readonly Stack<LakeRows> _spare = new();

    /// <summary>A batch usually spans one or two event-time partitions; more spares would only hold memory.</summary>
    private const int MaxSpareBuffers = 2;

    /// <summary>The lineage of each buffer's rows, written into its file's footer.</summary>
    public Dictionary<LakePartition, LakeLineageBuilder> Lineage { get; } = [];

    public bool IsEmpty => FirstOffset < 0;

    /// <summary>True when <paramref name="r"/> is further past the first reading than a file may span (event time).</summary>
    public bool WouldSpanBeyond(Reading r, TimeSpan span) => Rows > 0 && r.TimestampMicros - FirstEventMicros >= (long)span.TotalMicroseconds;

    /// <param name="lineage">The record's lineage headers (<see cref="RecordLineage"/>).</param>
    public void Add(Reading r, long offset, int bytes, (string? Rule, string? MirrorLink, long EdgeOffset) lineage = default)
    {
        Cover(offset);
        if (Rows == 0) FirstEventMicros = r.TimestampMicros;
        var key = LakePartition.Of(r.Site, r.TimestampMicros);
        if (!Buffers.TryGetValue(key, out var rows))
        {
            Buffers[key] = rows = _spare.TryPop(out var spare) ? spare : LakeSchema.NewBuffer();
            Lineage[key] = new LakeLineageBuilder(Topic, Partition);
        }
        LakeSchema.Append(rows, r, Partition, offset);
        Lineage[key].Add(r.Source, offset, lineage.Rule, lineage.MirrorLink, lineage.EdgeOffset);
        Rows++;
        Bytes += bytes;
    }

    /// <summary>Counts an offset as handled by this batch without a row (a record that is not a reading).</summary>
    public void Cover(long offset)
    {
        if (FirstOffset < 0) FirstOffset = offset;
        LastOffset = offset;
        _lastAppendTicks = Environment.TickCount64;
    }

    public void Reset()
    {
        FirstOffset = LastOffset = -1;
        Rows = 0;
        Bytes = 0;
        foreach (var rows in Buffers.Values)
        {
            rows.Clear();
            if (_spare.Count < MaxSpareBuffers) _spare.Push(rows);
        }
        Buffers.Clear();
        Lineage.Clear();
        _lastAppendTicks = Environment.TickCount64;
    }
}
