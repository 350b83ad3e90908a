using System.Globalization;
using IotTelemetry.LakeTool;

namespace IotTelemetry.Lake.Tests;

/// <summary>What a reader of the lake sees: the Parquet files under their final names.</summary>
public static class LakeFiles
{
    /// <summary>What a compaction interrupted by <see cref="CrashAfter"/> throws: the process "dies" right after that step.</summary>
    public sealed class SimulatedCrash(LakeCompactor.Step step) : Exception($"simulated crash after {step}");

    /// <summary>A <see cref="LakeCompactor.StepDone"/> that stops the compaction as a kill would, right after <paramref name="step"/> (null: never).</summary>
    public static Action<string, LakeCompactor.Step>? CrashAfter(LakeCompactor.Step? step) =>
        step is null ? null : (_, done) => { if (done == step) throw new SimulatedCrash(done); };

    public static string Glob(string root) => Path.Combine(root, "**", "*.parquet");

    /// <summary>Files a <c>**/*.parquet</c> glob matches: final names only (temporary names end in <c>.tmp</c>).</summary>
    public static List<string> Visible(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Parquet files under their final names directly in <paramref name="directory"/>, by name.</summary>
    public static List<string> DataFiles(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*.parquet").Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>Where the lake tool stages work for the lake at <paramref name="root"/>: <c>.lake.work</c> beside it.</summary>
    public static string WorkDirectory(string root) => LakeDataset.Local(root) is var d ? ((LocalLakeStore)d.Store).PathOf(d.WorkPrefix) : "";

    /// <summary>
    /// Commits <paramref name="files"/> small files of <paramref name="rowsPerFile"/> rows each into a partition of
    /// <paramref name="dataset"/>; offsets (and so file names) continue from <paramref name="firstOffset"/>.
    /// </summary>
    public static void WritePartition(LakeDataset dataset, string partition, int files, long firstOffset, int rowsPerFile)
    {
        var start = LakeLayout.HourStart(partition);
        for (var f = 0; f < files; f++)
        {
            var rows = new LakeRows();
            for (var i = 0; i < rowsPerFile; i++)
            {
                var offset = firstOffset + f * rowsPerFile + i;
                var time = (start.ToUnixTimeMilliseconds() * 1000) + offset * 1_000_000 % 3_600_000_000;
                rows.Add(time, $"pump-{offset % 4}", "vibration", offset * 0.5, "good", "mm/s", "test", time + 1_000, 0, offset);
            }
            Commit(dataset, partition, string.Create(CultureInfo.InvariantCulture, $"telemetry-000-{firstOffset + f * rowsPerFile:D20}.parquet"), rows);
        }
    }

    /// <summary>Writes <paramref name="rows"/> as a committed file of <paramref name="dataset"/>, through the store's exactly-once protocol.</summary>
    public static string Commit(LakeDataset dataset, string partition, string name, LakeRows rows)
    {
        using var upload = dataset.Store.BeginUpload(dataset.Key(partition, name));
        LakeParquet.Write(upload.LocalPath, rows, ParquetSharp.Compression.Snappy, 64L * 1024 * 1024, new Dictionary<string, string> { ["iott.site"] = "a" });
        var pending = upload.Stage();
        dataset.Store.Commit(pending);
        return pending.Key;
    }

    /// <summary>
    /// Copies every committed data file of <paramref name="dataset"/> into <paramref name="directory"/> in the same layout,
    /// so DuckDB (which cannot reach blob storage here) reads what a reader of the store sees; returns the copy's root.
    /// </summary>
    public static string Mirror(LakeDataset dataset, string directory)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        dataset.CopyTo(directory);
        return directory;
    }

    /// <summary>Rows in all visible files, opening each one completely (a partial file fails here).</summary>
    public static long CountRows(string root)
    {
        long rows = 0;
        foreach (var file in Visible(root)) rows += LakeParquet.Read(file).Rows.Count;
        return rows;
    }
}
