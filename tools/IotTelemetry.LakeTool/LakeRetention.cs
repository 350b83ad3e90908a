using System.Globalization;
using IotTelemetry.Lake;

namespace IotTelemetry.LakeTool;

/// <summary>
/// Drops partitions whose period (an hour of raw readings, a day or month of rollups) ended more than N days ago, leaving a <see cref="Tombstone"/> (<see cref="LakeLayout.TombstoneFileName"/>) in
/// their place: the sink drops late readings for it instead of resurrecting it, and compaction leaves it alone.
/// <list type="bullet">
/// <item>On a local directory the partition directory is exchanged in one step for a directory holding only the tombstone:
///   readers see all its rows or none.</item>
/// <item>On blob storage the tombstone is written first, then the files are deleted one by one: while that runs a reader
///   sees part of the partition. A crash in between is finished by the next run, which deletes the files left beside a
///   tombstone (and adds them to it when the sink committed them after the tombstone's listing).</item>
/// </list>
/// </summary>
public sealed class LakeRetention(LakeDataset dataset, RetentionScheme? scheme = null)
{
    public LakeRetention(string root) : this(LakeDataset.Local(root))
    {
    }

    /// <summary>How the dataset's partitions name their period and its files count rows: the raw readings' hours by default.</summary>
    public RetentionScheme Scheme { get; } = scheme ?? RetentionScheme.Raw;

    /// <summary>As <see cref="LakeCompactor.UseDirectoryExchange"/>: false runs the blob-storage protocol on a local directory too.</summary>
    public bool UseDirectoryExchange { get; init; } = true;

    public LakeDataset Dataset { get; } = dataset;

    private LocalLakeStore? Exchanging => UseDirectoryExchange ? Dataset.Store as LocalLakeStore : null;

    /// <summary>Deletes what a crash left behind on a local directory: staged tombstones not yet swapped in, old data already swapped out.</summary>
    public void Recover()
    {
        if (Dataset.Store is not LocalLakeStore local) return;
        var work = local.PathOf(Dataset.WorkPrefix);
        if (!Directory.Exists(work)) return;
        foreach (var dir in Directory.EnumerateDirectories(work, "*.retention")) Directory.Delete(dir, recursive: true);
    }

    public IReadOnlyList<Tombstone> Apply(int keepDays, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepDays);
        Recover();
        var cutoff = now - TimeSpan.FromDays(keepDays);
        var dropped = new List<Tombstone>();
        foreach (var partition in Dataset.Partitions())
        {
            var periodEnd = Scheme.PeriodEnd(partition);
            if (periodEnd > cutoff) continue;
            var files = Dataset.DataFiles(partition).Select(e => e.Key).ToList();
            if (files.Count == 0) continue; // only the tombstone is left
            var earlier = Tombstone.Read(Dataset, partition);
            var names = files.Select(LakeKeys.Name).ToList();
            var fresh = earlier is null ? names : names.Except(earlier.Files, StringComparer.Ordinal).ToList();
            var counted = fresh.ToHashSet(StringComparer.Ordinal);
            long rows = 0;
            foreach (var file in files)
                if (counted.Contains(LakeKeys.Name(file))) rows += Scheme.RowCount(Dataset.Store, file);
            var tombstone = earlier is null
                ? new Tombstone(partition, now.ToUniversalTime(),
                    string.Create(CultureInfo.InvariantCulture, $"retention: keep {keepDays} days; the partition's {Scheme.Period} ended {periodEnd:u}, before {cutoff:u}"), names, rows)
                : earlier with { Files = [.. earlier.Files, .. fresh], Rows = earlier.Rows + rows };
            if (Exchanging is { } local) DropByExchange(local, tombstone);
            else
            {
                if (fresh.Count > 0) tombstone.Write(Dataset); // first: the sink stops writing here before any file goes
                foreach (var file in files) Dataset.Store.Delete(file);
            }
            if (earlier is null || fresh.Count > 0) dropped.Add(tombstone);
        }
        return dropped;
    }

    private void DropByExchange(LocalLakeStore local, Tombstone tombstone)
    {
        var staging = LakeKeys.Combine(Dataset.WorkPrefix, LakeLayout.Id(tombstone.Partition) + ".retention");
        var stagingPath = local.PathOf(staging);
        if (Directory.Exists(stagingPath)) Directory.Delete(stagingPath, recursive: true);
        Directory.CreateDirectory(stagingPath);
        tombstone.Write(local, LakeKeys.Combine(staging, LakeLayout.TombstoneFileName));
        local.ExchangeDirectories(staging, Dataset.Key(tombstone.Partition));
        Directory.Delete(stagingPath, recursive: true);
    }
}
