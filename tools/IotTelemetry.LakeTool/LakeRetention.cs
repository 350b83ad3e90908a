using System.Globalization;
using IotTelemetry.LakeTool.Internal;
using IotTelemetry.Lake;

namespace IotTelemetry.LakeTool;

/// <summary>
/// Drops partitions whose hour ended more than N days ago. The partition directory is exchanged in one step for a
/// directory holding only a <see cref="Tombstone"/> (<c>_TOMBSTONE.json</c>): readers see all its rows or none,
/// the sink drops late readings for it instead of resurrecting it, and compaction leaves it alone.
/// </summary>
public sealed class LakeRetention(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    private string Work => LakeLayout.WorkDirectory(Root);

    /// <summary>Deletes what a crash left behind: staged tombstones not yet swapped in, old data already swapped out.</summary>
    public void Recover()
    {
        if (!Directory.Exists(Work)) return;
        foreach (var dir in Directory.EnumerateDirectories(Work, "*.retention")) Directory.Delete(dir, recursive: true);
    }

    public IReadOnlyList<Tombstone> Apply(int keepDays, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepDays);
        Recover();
        var cutoff = now - TimeSpan.FromDays(keepDays);
        var dropped = new List<Tombstone>();
        foreach (var partition in LakeLayout.Partitions(Root).ToList())
        {
            var hourEnd = LakeLayout.HourStart(partition).AddHours(1);
            if (hourEnd > cutoff) continue;
            var directory = Path.Combine(Root, partition);
            var files = LakeLayout.DataFiles(directory);
            if (files.Count == 0 && File.Exists(Path.Combine(directory, LakeLayout.TombstoneFileName))) continue;
            long rows = 0;
            foreach (var file in files) rows += LakeParquet.RowCount(file);
            var tombstone = new Tombstone(partition, now.ToUniversalTime(),
                string.Create(CultureInfo.InvariantCulture, $"retention: keep {keepDays} days; the partition's hour ended {hourEnd:u}, before {cutoff:u}"),
                files.Select(f => Path.GetFileName(f)).ToList(), rows);
            var staging = Path.Combine(Work, LakeLayout.Id(partition) + ".retention");
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            Directory.CreateDirectory(staging);
            tombstone.Write(Path.Combine(staging, LakeLayout.TombstoneFileName));
            DirectoryExchange.Exchange(staging, directory);
            Directory.Delete(staging, recursive: true);
            dropped.Add(tombstone);
        }
        return dropped;
    }
}
