namespace IotTelemetry.Lake.Lineage;

/// <summary>
/// Collects the lineage of the rows going into one lake file as the sink appends them: per row a dictionary update or two,
/// no allocation once its sources, rules and mirrors have been seen.
/// </summary>
public sealed class LakeLineageBuilder(string topic, int partition)
{
    private readonly Dictionary<string, long> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Span> _edge = new(StringComparer.Ordinal);
    private long _first = long.MaxValue;
    private long _last = long.MinValue;
    private long _rows;

    /// <param name="source">The row's <c>source</c> column.</param>
    /// <param name="offset">Its cloud offset.</param>
    /// <param name="rule">The <c>iott-rule</c> header, when the edge set one.</param>
    /// <param name="mirrorLink">The <c>iott-mirror</c> header (<c>{mirrorId}:{edgeTopic}</c>), when a mirror copied the record.</param>
    /// <param name="edgeOffset">The <c>iott-src-offset</c> header: the record's offset in the edge partition.</param>
    public void Add(string source, long offset, string? rule, string? mirrorLink, long edgeOffset)
    {
        _rows++;
        _first = Math.Min(_first, offset);
        _last = Math.Max(_last, offset);
        Count(_sources, source);
        if (rule is not null) Count(_rules, rule);
        if (mirrorLink is null) return;
        ref var span = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_edge, mirrorLink, out var seen);
        span = seen ? new(Math.Min(span.First, edgeOffset), Math.Max(span.Last, edgeOffset), span.Rows + 1) : new(edgeOffset, edgeOffset, 1);
    }

    public LakeLineage Build() => new(
        _rows == 0 ? [] : [new KafkaRange(topic, partition, _first, _last, _rows)],
        [.. _edge.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
        {
            var (mirror, edgeTopic) = SplitLink(kv.Key);
            return new EdgeRange(mirror, edgeTopic, partition, kv.Value.First, kv.Value.Last, kv.Value.Rows);
        })],
        NamedCount.Sorted(_sources), NamedCount.Sorted(_rules), [LakeLineage.SinkStep]);

    /// <summary><c>plant-a:telemetry</c> to (<c>plant-a</c>, <c>telemetry</c>); topic names have no ':', so the last one splits.</summary>
    public static (string Mirror, string Topic) SplitLink(string link)
    {
        var colon = link.LastIndexOf(':');
        return colon < 0 ? (link, "") : (link[..colon], link[(colon + 1)..]);
    }

    private static void Count(Dictionary<string, long> counts, string key)
    {
        ref var n = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _);
        n++;
    }

    private readonly record struct Span(long First, long Last, long Rows);
}
