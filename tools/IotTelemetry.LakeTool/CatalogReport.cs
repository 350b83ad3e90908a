using System.Globalization;
using IotTelemetry.Lake.Catalog;
using IotTelemetry.Lake.Lineage;

namespace IotTelemetry.LakeTool;

/// <summary>Prints catalog entries and lineage for a reader (the JSON is in <c>_catalog/</c>, or with <c>--json</c>).</summary>
public static class CatalogReport
{
    /// <summary>Sources listed per dataset before "… N more".</summary>
    private const int MaxSourcesShown = 20;

    public static void Write(TextWriter output, DatasetCatalog c)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(c);
        var t = c.Totals;
        output.WriteLine(Inv($"Dataset {c.Dataset} ({c.Location}): {t.Rows:N0} rows in {t.Files:N0} files, {t.Bytes:N0} bytes, {t.Partitions} partitions by {string.Join(", ", c.Partitioning)}"));
        output.WriteLine($"  time range: {Range(t.MinTime, t.MaxTime)}");
        output.WriteLine(Inv($"  retention: {c.Retention.Rule}; {c.Retention.DroppedPartitions} partition(s) dropped so far ({c.Retention.DroppedRows:N0} rows)"));
        output.WriteLine("  schema: " + string.Join(", ", c.Schema.Select(s => $"{s.Name} {(s.LogicalType.Length > 0 ? s.LogicalType : s.PhysicalType)}")));
        output.WriteLine("  partitions:");
        foreach (var p in c.Partitions)
            output.WriteLine(p.Tombstone is { } tomb
                ? Inv($"    {p.Path}  dropped {tomb.DroppedAtUtc:u}: {tomb.Rows:N0} rows ({tomb.Reason})")
                : Inv($"    {p.Path}  {p.Files} file(s)  {p.Rows:N0} rows  {Range(p.MinTime, p.MaxTime)}"));
        var l = c.Lineage;
        output.WriteLine("  lineage:");
        output.WriteLine($"    sites: {string.Join(", ", l.Sites)}");
        output.WriteLine(Inv($"    sources: {l.Sources.Count} ({string.Join(", ", l.Sources.GroupBy(s => s.Kind).Select(g => $"{g.Key} {g.Count()}"))})"));
        foreach (var s in l.Sources.Take(MaxSourcesShown))
            output.WriteLine(Inv($"      {s.Kind,-6} {s.Address}{(s.Node is null ? "" : "  node " + s.Node)}  {s.Rows:N0} rows"));
        if (l.Sources.Count > MaxSourcesShown)
            output.WriteLine(Inv($"      … {l.Sources.Count - MaxSourcesShown} more in {CatalogDatasets.KeyFor(c.Dataset)}"));
        WriteLineage(output, "    ", new LakeLineage(l.CloudTopics, l.EdgeTopics, [], l.MappingRules, l.Processing));
        if (l.FilesWithoutRecordedLineage > 0)
            output.WriteLine(Inv($"    {l.FilesWithoutRecordedLineage} file(s) without recorded lineage (written before it was recorded): their Kafka ranges come from their metadata or names"));
        if (c.Shares.Count > 0)
        {
            output.WriteLine("  vendor shares:");
            foreach (var s in c.Shares) output.WriteLine($"    {s.Summary} (policy {s.PolicyVersion})");
        }
    }

    /// <summary>The Kafka ranges, rules and processing steps of a lineage, one line each.</summary>
    public static void WriteLineage(TextWriter output, string indent, LakeLineage l)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(l);
        foreach (var r in l.Cloud)
            output.WriteLine(Inv($"{indent}cloud topic {r.Topic}[{r.Partition}] offsets {r.FirstOffset}..{r.LastOffset}{Rows(r.Rows)}"));
        foreach (var r in l.Edge)
            output.WriteLine(Inv($"{indent}edge topic {r.Topic}[{r.Partition}] of mirror {r.Mirror}, offsets {r.FirstOffset}..{r.LastOffset}{Rows(r.Rows)}"));
        foreach (var r in l.Rules) output.WriteLine(Inv($"{indent}made by edge rule {r.Name}: {r.Rows:N0} rows"));
        if (l.Processing.Count > 0) output.WriteLine($"{indent}processing: {string.Join(" -> ", l.Rules.Count > 0 ? ["edge mapping", "mirror", .. l.Processing] : l.Processing)}");
    }

    /// <summary><c>iott-lake lineage</c> for one file or every file of a partition, then (for a partition) the whole.</summary>
    public static void WriteFiles(TextWriter output, IReadOnlyList<FileFooter> footers)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(footers);
        foreach (var f in footers)
        {
            output.WriteLine(Inv($"{f.Path}: {f.Rows:N0} rows, {Range(Time(f.MinTimeMicros), Time(f.MaxTimeMicros))}"));
            foreach (var s in f.Lineage.Sources) output.WriteLine(Inv($"  from {s.Name}: {s.Rows:N0} rows"));
            WriteLineage(output, "  ", f.Lineage);
            if (f.CompactedFrom.Count > 0) output.WriteLine($"  compacted from {f.CompactedFrom.Count} file(s): {string.Join(", ", f.CompactedFrom)}");
            if (!f.LineageRecorded) output.WriteLine("  (no lineage recorded in this file: Kafka ranges from its metadata or the names it was compacted from)");
        }
        if (footers.Count <= 1) return;
        var all = LakeLineage.Merge(footers.Select(f => f.Lineage));
        output.WriteLine(Inv($"Partition total: {footers.Sum(f => f.Rows):N0} rows in {footers.Count} files, {all.Sources.Count} source(s)"));
        WriteLineage(output, "  ", all);
    }

    private static string Rows(long rows) => rows > 0 ? Inv($" ({rows:N0} rows)") : "";

    private static string Range(DateTimeOffset? min, DateTimeOffset? max) =>
        min is { } a && max is { } b ? $"{a.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'} .. {b.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'}" : "no rows";

    private static DateTimeOffset? Time(long? micros) => micros is { } m ? DateTimeOffset.UnixEpoch.AddTicks(m * 10) : null;

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
