using System.Text;
using IotTelemetry.Lake.Lineage;

namespace IotTelemetry.Lake.Catalog;

/// <summary>
/// Builds a dataset's catalog entry from the store as it is: every partition listed, every file's footer read (never its
/// data), lineage merged from the footers, tombstones counted. Cost: one footer read per file.
/// </summary>
public sealed class CatalogBuilder(ILakeStore store, string rawPath)
{
    public ILakeStore Store { get; } = store;

    public DatasetCatalog Build(LakeDataset dataset, int keepDays, IReadOnlyList<VendorShare> shares, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var partitions = new List<PartitionEntry>();
        var lineages = new List<LakeLineage>();
        List<ColumnInfo>? schema = null;
        var keys = new List<string>();
        long files = 0, rows = 0, bytes = 0, unrecorded = 0, droppedRows = 0;
        var dropped = 0;
        long? min = null, max = null;
        foreach (var partition in dataset.Partitions())
        {
            var values = PartitionValues.Of(partition);
            foreach (var (key, _) in values) if (!keys.Contains(key)) keys.Add(key);
            var footers = Footers(dataset, partition);
            TombstoneInfo? tombstone = null;
            if (dataset.IsTombstoned(partition))
            {
                tombstone = ReadTombstone(dataset, partition);
                dropped++;
                droppedRows += tombstone.Rows;
            }
            schema ??= footers.FirstOrDefault()?.Schema;
            var pMin = footers.Min(f => f.MinTimeMicros);
            var pMax = footers.Max(f => f.MaxTimeMicros);
            if (pMin is { } a) min = Math.Min(min ?? a, a);
            if (pMax is { } b) max = Math.Max(max ?? b, b);
            var pRows = footers.Sum(f => f.Rows);
            var pBytes = footers.Sum(f => f.Bytes);
            files += footers.Count;
            rows += pRows;
            bytes += pBytes;
            unrecorded += footers.Count(f => !f.LineageRecorded);
            lineages.AddRange(footers.Select(f => f.Lineage));
            partitions.Add(new PartitionEntry(partition, values.ToDictionary(v => v.Key, v => v.Value), footers.Count, pRows, pBytes,
                Time(pMin), Time(pMax), tombstone));
        }
        var merged = LakeLineage.Merge(lineages);
        var sites = partitions.Where(p => p.Rows > 0 && p.Values.ContainsKey("site")).Select(p => p.Values["site"]).Distinct().Order(StringComparer.Ordinal).ToList();
        var lineage = new DatasetLineage(sites, [.. merged.Sources.Select(s => SourceRef.Parse(s.Name, s.Rows))], merged.Cloud, merged.Edge, merged.Rules,
            merged.Processing, unrecorded);
        var retention = new RetentionInfo(keepDays,
            $"iott-lake retention, keep {keepDays} days: a partition whose time range ended more than {keepDays} days ago is replaced by a tombstone",
            dropped, droppedRows);
        return new DatasetCatalog(dataset.Path, dataset.Location, "parquet", now.ToUniversalTime(), schema ?? [], keys, retention,
            new CatalogTotals(partitions.Count, files, rows, bytes, Time(min), Time(max)), partitions, lineage, [.. shares]);
    }

    /// <summary>Builds and writes the entry of every dataset (<c>_catalog/{name}.json</c>, each replaced whole); returns them.</summary>
    public List<DatasetCatalog> WriteAll(Func<string, int> keepDays, IReadOnlyList<VendorShare> shares, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(keepDays);
        var written = new List<DatasetCatalog>();
        foreach (var dataset in CatalogDatasets.Discover(Store, rawPath))
        {
            // Shares are derived from the raw readings (the edge curates its telemetry topic), so they are listed there.
            var catalog = Build(dataset, keepDays(dataset.Path), dataset.Path == rawPath ? shares : [], now);
            Store.WriteAllBytes(CatalogDatasets.KeyFor(dataset.Path), Encoding.UTF8.GetBytes(catalog.ToJson()));
            written.Add(catalog);
        }
        return written;
    }

    /// <summary>The entry kept for <paramref name="dataset"/>, or null when none was written yet.</summary>
    public DatasetCatalog? Read(string dataset) =>
        Store.ReadAllBytes(CatalogDatasets.KeyFor(dataset)) is { } bytes ? DatasetCatalog.FromJson(Encoding.UTF8.GetString(bytes)) : null;

    /// <summary>The footers of a partition's files, by name.</summary>
    public List<FileFooter> Footers(LakeDataset dataset, string partition)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return [.. dataset.DataFiles(partition).Select(f => FileFooter.Read(Store, f))];
    }

    private static TombstoneInfo ReadTombstone(LakeDataset dataset, string partition)
    {
        try
        {
            var t = Tombstone.Read(dataset, partition);
            return t is null ? new TombstoneInfo(null, "tombstone vanished while read", 0) : new TombstoneInfo(t.DroppedAtUtc, t.Reason, t.Rows);
        }
        catch (InvalidDataException ex)
        {
            return new TombstoneInfo(null, $"unreadable tombstone: {ex.Message}", 0);
        }
    }

    private static DateTimeOffset? Time(long? micros) => micros is { } m ? DateTimeOffset.UnixEpoch.AddTicks(m * 10) : null;
}
